import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { NODE_EXPORTER_ARTIFACT } from '../kafka/monitoring/node-exporter';

/** What {@link KafkaSecurityGroups} needs: the VPC, the listener and metrics ports, and the networks admitted. */
export interface KafkaSecurityGroupsProps {
  /** Name prefix of the groups, e.g. `prod-kafka`. */
  readonly name: string;
  /** VPC the groups are created in. */
  readonly vpcId: string;
  /** Port of the brokers' client listener. */
  readonly clientPort: number;
  /** Port of the brokers' replication (inter-broker) listener. */
  readonly replicationPort: number;
  /** Port of the controllers' KRaft listener. */
  readonly controllerPort: number;
  /** Port of the JMX exporter on every node. @default - no metrics rules */
  readonly metricsPort?: number;
  /**
   * Port of node_exporter on every node, admitted like the metrics port (monitoring group and CIDRs only).
   * @default - node_exporter's 9100 when `metricsPort` is set, nothing otherwise
   */
  readonly nodeExporterPort?: number;
  /** Client networks admitted to the client listener besides the clients group. Never 0.0.0.0/0. @default [] */
  readonly clientCidrs?: readonly string[];
  /** Scraper networks admitted to the metrics and node_exporter ports besides the monitoring group. @default [] */
  readonly monitoringCidrs?: readonly string[];
  /**
   * Where nodes may open HTTPS connections (VPC endpoints, S3, package and artifact downloads):
   * CIDRs and prefix lists. @default - none
   */
  readonly httpsEgress?: { readonly cidrs?: readonly string[]; readonly prefixListIds?: readonly string[] };
}

/** A rule as data, so tests and reviewers can read what each group admits. */
export interface SecurityGroupRulePlan {
  /** Unique id of the rule (`<group>-in-<what>` or `<group>-out-<what>`); also its construct id. */
  readonly id: string;
  /** Whether the rule admits traffic into `group` (`ingress`) or lets it out (`egress`). */
  readonly direction: 'ingress' | 'egress';
  /** The group the rule belongs to. */
  readonly group: 'controllers' | 'brokers' | 'clients' | 'monitoring';
  /** TCP port the rule opens (a single port, never a range). */
  readonly port: number;
  /** The other end: another of the four groups, a CIDR, or a managed prefix list (S3). */
  readonly peer: { readonly group: 'controllers' | 'brokers' | 'clients' | 'monitoring' } | { readonly cidr: string } | { readonly prefixList: string };
  /** Why the rule exists; becomes the rule's description in AWS. */
  readonly description: string;
}

const GROUPS = ['controllers', 'brokers', 'clients', 'monitoring'] as const;
type GroupName = (typeof GROUPS)[number];

const GROUP_DESCRIPTIONS: Record<GroupName, string> = {
  controllers: 'Kafka KRaft controllers',
  brokers: 'Kafka brokers',
  clients: 'Kafka clients: attach to applications that produce or consume',
  monitoring: 'Kafka monitoring: attach to Prometheus servers that scrape the JMX exporter',
};

/**
 * The traffic Kafka needs and nothing else: controllers ↔ controllers and brokers → controllers on the controller
 * port, brokers ↔ brokers on the replication port, clients → brokers on the client port (from the clients group or
 * the listed CIDRs), monitoring → every node's metrics port. No SSH (Session Manager instead), nothing from
 * 0.0.0.0/0, and every rule is its own described resource so a change shows up as exactly one rule in a plan.
 */
export function securityGroupRulePlan(props: KafkaSecurityGroupsProps): SecurityGroupRulePlan[] {
  const rules: SecurityGroupRulePlan[] = [];
  const both = (id: string, from: GroupName, to: GroupName, port: number, what: string) => {
    rules.push({ id: `${to}-in-${id}`, direction: 'ingress', group: to, port, peer: { group: from }, description: `${what} from ${from}` });
    rules.push({ id: `${from}-out-${id}`, direction: 'egress', group: from, port, peer: { group: to }, description: `${what} to ${to}` });
  };
  both('quorum', 'controllers', 'controllers', props.controllerPort, 'KRaft quorum (controller listener)');
  both('metadata', 'brokers', 'controllers', props.controllerPort, 'KRaft metadata fetch (controller listener)');
  both('replication', 'brokers', 'brokers', props.replicationPort, 'Replication (replication listener)');
  both('client', 'clients', 'brokers', props.clientPort, 'Kafka protocol (client listener)');
  for (const [index, cidr] of (props.clientCidrs ?? []).entries()) {
    rules.push({ id: `brokers-in-client-cidr-${index}`, direction: 'ingress', group: 'brokers', port: props.clientPort, peer: { cidr }, description: `Kafka protocol (client listener) from client network ${cidr}` });
  }
  const scrapes: Array<{ key: string; port: number; what: string }> = [];
  if (props.metricsPort !== undefined) {
    scrapes.push({ key: 'metrics', port: props.metricsPort, what: 'Prometheus scrape of the JMX exporter' });
    // The disk alerts read node_exporter on every VM node; it is scraped from exactly where the JMX exporter is.
    scrapes.push({ key: 'node-exporter', port: props.nodeExporterPort ?? NODE_EXPORTER_ARTIFACT.port, what: 'Prometheus scrape of node_exporter' });
  } else if (props.nodeExporterPort !== undefined) {
    scrapes.push({ key: 'node-exporter', port: props.nodeExporterPort, what: 'Prometheus scrape of node_exporter' });
  }
  for (const scrape of scrapes) {
    for (const node of ['controllers', 'brokers'] as const) {
      both(`${scrape.key}-${node}`, 'monitoring', node, scrape.port, scrape.what);
      for (const [index, cidr] of (props.monitoringCidrs ?? []).entries()) {
        rules.push({ id: `${node}-in-${scrape.key}-cidr-${index}`, direction: 'ingress', group: node, port: scrape.port, peer: { cidr }, description: `${scrape.what} from ${cidr}` });
      }
    }
  }
  for (const node of ['controllers', 'brokers'] as const) {
    for (const [index, cidr] of (props.httpsEgress?.cidrs ?? []).entries()) {
      rules.push({ id: `${node}-out-https-cidr-${index}`, direction: 'egress', group: node, port: 443, peer: { cidr }, description: `HTTPS to AWS APIs and downloads in ${cidr}` });
    }
    for (const [index, prefixList] of (props.httpsEgress?.prefixListIds ?? []).entries()) {
      rules.push({ id: `${node}-out-https-prefix-list-${index}`, direction: 'egress', group: node, port: 443, peer: { prefixList }, description: 'HTTPS to S3 (gateway endpoint prefix list): packages and artifacts' });
    }
  }
  return rules;
}

/** Separate security groups for controllers, brokers, clients and monitoring whose rules reference each other. */
export class KafkaSecurityGroups extends Construct {
  /** Security group of the controller nodes: KRaft listener from controllers and brokers only. */
  readonly controllers: SecurityGroup;
  /** Security group of the broker nodes: client, replication and metrics listeners from their groups and CIDRs. */
  readonly brokers: SecurityGroup;
  /** Attach to every application that talks to Kafka. */
  readonly clients: SecurityGroup;
  /** Attach to Prometheus servers that scrape Kafka. */
  readonly monitoring: SecurityGroup;
  /** Every rule of the four groups as data, in creation order; the same list `securityGroupRulePlan(props)` returns. */
  readonly rules: readonly SecurityGroupRulePlan[];

  constructor(scope: Construct, id: string, props: KafkaSecurityGroupsProps) {
    super(scope, id);
    for (const cidr of [...(props.clientCidrs ?? []), ...(props.monitoringCidrs ?? [])]) {
      if (/\/0$/.test(cidr)) throw new Error(`KafkaSecurityGroups ${id}: ${cidr} would admit the whole internet; list the client networks`);
    }
    const groups = Object.fromEntries(
      GROUPS.map((group) => [
        group,
        // No inline rules: Terraform then removes AWS's default allow-all egress, and every rule below is its own resource.
        // A name prefix lets a replacement group be created before the old one is deleted (create_before_destroy).
        new SecurityGroup(this, group, {
          namePrefix: `${props.name}-${group}-`,
          description: GROUP_DESCRIPTIONS[group],
          vpcId: props.vpcId,
          tags: { Name: `${props.name}-${group}` },
          lifecycle: { createBeforeDestroy: true },
        }),
      ]),
    ) as Record<GroupName, SecurityGroup>;
    this.controllers = groups.controllers;
    this.brokers = groups.brokers;
    this.clients = groups.clients;
    this.monitoring = groups.monitoring;
    this.rules = securityGroupRulePlan(props);
    for (const rule of this.rules) {
      const peer =
        'group' in rule.peer
          ? { referencedSecurityGroupId: groups[rule.peer.group].id }
          : 'cidr' in rule.peer
            ? { cidrIpv4: rule.peer.cidr }
            : { prefixListId: rule.peer.prefixList };
      const config = {
        securityGroupId: groups[rule.group].id,
        description: rule.description,
        ipProtocol: 'tcp',
        fromPort: rule.port,
        toPort: rule.port,
        ...peer,
      };
      if (rule.direction === 'ingress') new VpcSecurityGroupIngressRule(this, rule.id, config);
      else new VpcSecurityGroupEgressRule(this, rule.id, config);
    }
  }
}
