/**
 * `dist/<env>/topology.md`: a picture of one cluster for reviewers — zones as racks, every controller and broker with
 * its node id, the KRaft quorum, each listener and who may reach it — as a Mermaid flowchart (GitHub and most
 * Markdown viewers render it) followed by the same facts as a table. Everything comes from the cluster model and, on
 * Kubernetes, from the NetworkPolicy model the manifests are rendered from, so the picture cannot drift from them.
 */
import type { ClusterModel } from '../model/cluster-model';
import type { KafkaListener } from '../model/listeners';
import type { KafkaNode } from '../model/topology';
import { type NetworkPolicyModel, type PeerSelector, networkPolicyModels } from '../security/network-policy';

/** One listener and what may connect to it, in words. */
export interface ListenerAccess {
  /** The listener. */
  readonly listener: KafkaListener;
  /** Who may open connections to it: pods, namespaces, security groups or address ranges. */
  readonly reachableFrom: readonly string[];
}

function describePeer(peer: PeerSelector, model: ClusterModel): string {
  if (peer.cidr !== undefined) return `${peer.cidr}${peer.except?.length ? ` except ${peer.except.join(', ')}` : ''}`;
  const labels = (record: Readonly<Record<string, string>>) => Object.entries(record).map(([key, value]) => `${key}=${value}`).join(', ');
  const role = peer.podLabels?.['app.kubernetes.io/component'];
  const ownCluster = peer.podLabels?.['app.kubernetes.io/instance'] === model.spec.kafka.clusterName;
  if (peer.namespaceLabels === undefined && ownCluster && (role === 'broker' || role === 'controller')) return `${role}s`;
  const namespace = peer.namespaceLabels?.['kubernetes.io/metadata.name'];
  const otherNamespaceLabels = Object.fromEntries(Object.entries(peer.namespaceLabels ?? {}).filter(([key]) => key !== 'kubernetes.io/metadata.name'));
  const where =
    peer.namespaceLabels === undefined
      ? 'the Kafka namespace'
      : namespace !== undefined
        ? `namespace ${namespace}`
        : `namespaces with ${labels(otherNamespaceLabels)}`;
  return peer.podLabels === undefined ? `every pod of ${where}` : `pods with ${labels(peer.podLabels)} in ${where}`;
}

function ingressOf(policies: readonly NetworkPolicyModel[], name: string, port: number, model: ClusterModel): string[] {
  const policy = policies.find((candidate) => candidate.name === name);
  return (policy?.ingress ?? [])
    .filter((rule) => rule.ports.some((candidate) => candidate.port === port))
    .flatMap((rule) => rule.peers.map((peer) => describePeer(peer, model)));
}

/**
 * Who may reach each listener: on Kubernetes the ingress rules of the NetworkPolicy model; on VMs the security groups
 * the network and kafka stacks create (the `clients` group and `aws.clientCidrs` for the client listener, the nodes'
 * own groups between them).
 */
export function listenerAccess(model: ClusterModel): ListenerAccess[] {
  const { spec } = model;
  const prefix = `${spec.name}-${spec.kafka.clusterName}`;
  if (spec.runtime.kind === 'kubernetes') {
    const policies = networkPolicyModels(model);
    const cluster = spec.kafka.clusterName;
    return model.listeners.map((listener) => ({
      listener,
      reachableFrom: ingressOf(policies, `${cluster}-${listener.boundBy}`, listener.port, model),
    }));
  }
  const group = (name: string) => `security group ${prefix}-${name}`;
  return model.listeners.map((listener) => {
    switch (listener.key) {
      case 'client':
        return { listener, reachableFrom: [group('clients'), ...spec.aws.clientCidrs] };
      case 'replication':
        return { listener, reachableFrom: ['brokers'] };
      case 'controller':
        return { listener, reachableFrom: ['controllers', 'brokers'] };
      default:
        return { listener, reachableFrom: [] };
    }
  });
}

/** Who may scrape the nodes' metrics port, when monitoring is on. */
export function metricsAccess(model: ClusterModel): { port: number; reachableFrom: string[] } | undefined {
  const { spec } = model;
  if (!spec.monitoring.enabled) return undefined;
  const port = spec.monitoring.jmxExporterPort;
  if (spec.runtime.kind === 'kubernetes') {
    return { port, reachableFrom: ingressOf(networkPolicyModels(model), `${spec.kafka.clusterName}-broker`, port, model) };
  }
  return { port, reachableFrom: [`security group ${spec.name}-${spec.kafka.clusterName}-monitoring`, ...spec.aws.monitoringCidrs] };
}

const nodeId = (node: KafkaNode) => `n${node.nodeId}`;
const zoneId = (zone: string) => `zone_${zone.replace(/[^A-Za-z0-9]/g, '_')}`;
const brokersId = (zone: string) => `brokers_${zone.replace(/[^A-Za-z0-9]/g, '_')}`;
/** Mermaid labels are quoted; a quote inside would end them. */
const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

function protocolOf(listener: KafkaListener): string {
  const authentication = listener.authentication === 'none' ? 'no authentication' : listener.authentication === 'mtls' ? 'mutual TLS' : 'SCRAM-SHA-512';
  return `${listener.securityProtocol}, ${authentication}`;
}

/**
 * The Mermaid flowchart of the cluster: one box per zone (= rack) holding its controllers and, in a box of their own,
 * its brokers; the quorum; an arrow per listener from who may connect to the nodes that bind it.
 */
export function topologyMermaid(model: ClusterModel): string {
  const lines = ['flowchart LR'];
  const quorumSize = model.controllers.length;
  const majority = Math.floor(quorumSize / 2) + 1;
  const byListener = new Map(listenerAccess(model).map((access) => [access.listener.key, access]));
  const controller = byListener.get('controller')?.listener;
  const client = byListener.get('client');
  const zones = model.spec.aws.availabilityZones.filter((zone) => model.nodes.some((node) => node.zone === zone));
  const brokerZones = zones.filter((zone) => model.brokers.some((node) => node.zone === zone));

  client?.reachableFrom.forEach((peer, index) => lines.push(`  client${index}([${label(peer)}])`));
  for (const zone of zones) {
    lines.push(`  subgraph ${zoneId(zone)}[${label(`zone ${zone} = rack ${zone}`)}]`);
    for (const node of model.controllers.filter((candidate) => candidate.zone === zone)) {
      lines.push(`    ${nodeId(node)}[(${label(`${node.name}<br/>controller · node.id ${node.nodeId}`)})]`);
    }
    const brokers = model.brokers.filter((candidate) => candidate.zone === zone);
    if (brokers.length > 0) {
      lines.push(`    subgraph ${brokersId(zone)}[${label(`brokers in ${zone}`)}]`);
      for (const node of brokers) lines.push(`      ${nodeId(node)}[${label(`${node.name}<br/>broker · node.id ${node.nodeId}`)}]`);
      lines.push('    end');
    }
    lines.push('  end');
  }
  lines.push(`  quorum{{${label(`KRaft quorum<br/>${quorumSize} voter(s), majority ${majority}`)}}}`);
  for (const node of model.controllers) lines.push(`  ${nodeId(node)} -. voter .- quorum`);
  if (controller) {
    for (const zone of brokerZones) lines.push(`  ${brokersId(zone)} -->|${label(`${controller.name} :${controller.port}`)}| quorum`);
  }
  if (client) {
    client.reachableFrom.forEach((_, index) => {
      for (const zone of brokerZones) lines.push(`  client${index} -->|${label(`${client.listener.name} :${client.listener.port}`)}| ${brokersId(zone)}`);
    });
  }
  const external = byListener.get('external');
  if (external) {
    lines.push(`  external([${label(`external load balancers<br/>from ${external.reachableFrom.join(', ') || 'nowhere'}`)}])`);
    for (const zone of brokerZones) lines.push(`  external -->|${label(`${external.listener.name} :${external.listener.port}`)}| ${brokersId(zone)}`);
  }
  return lines.join('\n');
}

/** The whole `topology.md`: a summary line, the diagram and the listener table. */
export function renderTopologyMarkdown(model: ClusterModel): string {
  const { spec } = model;
  const access = listenerAccess(model);
  const zones = spec.aws.availabilityZones;
  const rows = access.map(({ listener, reachableFrom }) =>
    `| ${listener.name} | ${listener.port} | ${protocolOf(listener)} | ${listener.boundBy}s | ${reachableFrom.join('; ') || 'nobody'} |`,
  );
  const metrics = metricsAccess(model);
  if (metrics) rows.push(`| JMX exporter (metrics) | ${metrics.port} | HTTP | all nodes | ${metrics.reachableFrom.join('; ') || 'nobody'} |`);
  return [
    `# Topology of ${spec.name}`,
    '',
    `${spec.tier}, ${spec.runtime.kind === 'vm' ? 'EC2 VMs' : `Kubernetes namespace \`${spec.runtime.namespace}\``} in ${spec.aws.region}: ` +
      `${model.controllers.length} controller(s) and ${model.brokers.length} broker(s) over ${zones.length} zone(s); ` +
      `each zone is a rack (\`broker.rack\`). Written by synth from \`environments/${spec.name}.ts\`; do not edit.`,
    '',
    '```mermaid',
    topologyMermaid(model),
    '```',
    '',
    '| listener | port | protocol | bound by | who may connect |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Quorum voters: \`${model.quorumVoters}\``,
    '',
  ].join('\n');
}
