import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderTopologyMarkdown, topologyMermaid, listenerAccess, metricsAccess } from '../../../constructs/kafka/diagram/topology-diagram';
import { buildClusterModel } from '../../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../../constructs/kafka/spec/environment-spec';
import { validateEnvironment } from '../../../constructs/kafka/validation/validate';
import { environments } from '../../../environments';
import { environmentArtifacts } from '../../../synth/environment-artifacts';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../../fixtures/environments';

const modelOf = (spec: EnvironmentSpec) => buildClusterModel(validateEnvironment(spec));

/**
 * The flowchart's structure, checked the way Mermaid reads it (no Mermaid parser runs offline here): every
 * `subgraph` closed by an `end`, every edge between declared nodes or subgraphs, no raw quote inside a label.
 */
function mermaidProblems(diagram: string): string[] {
  const problems: string[] = [];
  const lines = diagram.split('\n');
  if (lines[0] !== 'flowchart LR') problems.push(`starts with ${lines[0]}`);
  const declared = new Set<string>();
  let depth = 0;
  for (const line of lines.slice(1)) {
    const text = line.trim();
    const subgraph = /^subgraph (\w+)\[".*"\]$/.exec(text);
    const node = /^(\w+)(\[\(|\(\[|\{\{|\[)"(.*)"(\)\]|\]\)|\}\}|\])$/.exec(text);
    const edge = /^(\w+) (-\. voter \.-|-->\|"[^"]*"\|) (\w+)$/.exec(text);
    if (subgraph?.[1]) {
      declared.add(subgraph[1]);
      depth++;
    } else if (text === 'end') {
      depth--;
    } else if (node?.[1]) {
      if (node[3]?.includes('"')) problems.push(`raw quote in ${text}`);
      declared.add(node[1]);
    } else if (edge?.[1] && edge[3]) {
      for (const end of [edge[1], edge[3]]) if (!declared.has(end)) problems.push(`edge to undeclared ${end}: ${text}`);
    } else {
      problems.push(`unrecognised line: ${text}`);
    }
    if (depth < 0) problems.push('end without subgraph');
  }
  if (depth !== 0) problems.push(`${depth} subgraph(s) not closed`);
  return problems;
}

describe('the topology of a three-zone Kubernetes cluster', () => {
  const model = modelOf(withChange(aThreeZoneProdSpec(), (spec) => {
    spec.security = { ...spec.security, network: { clients: [{ namespace: "orders" }] } };
  }));
  const diagram = topologyMermaid(model);

  it('is a well-formed flowchart', () => {
    expect(mermaidProblems(diagram)).toEqual([]);
  });

  it('draws each zone as a rack holding its controller and its brokers, with their node ids', () => {
    for (const zone of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
      const block = diagram.slice(diagram.indexOf(`"zone ${zone} = rack ${zone}"`));
      const inZone = block.slice(0, block.indexOf('\n  end'));
      for (const node of model.nodes.filter((candidate) => candidate.zone === zone)) {
        expect(inZone).toContain(`${node.name}<br/>${node.role} · node.id ${node.nodeId}`);
      }
    }
    expect(model.nodes).toHaveLength(9);
  });

  it('shows the quorum with its majority and every controller as a voter', () => {
    expect(diagram).toContain('KRaft quorum<br/>3 voter(s), majority 2');
    for (const id of [0, 1, 2]) expect(diagram).toContain(`n${id} -. voter .- quorum`);
    expect(diagram).toContain('brokers_eu_west_1b -->|"CONTROLLER :9093"| quorum');
  });

  it('says who may reach each listener, from the NetworkPolicies', () => {
    const access = Object.fromEntries(listenerAccess(model).map((entry) => [entry.listener.name, entry.reachableFrom]));
    expect(access.CLIENT).toEqual(['pods with kafka-typed-infra.io/client-of=kafka in the Kafka namespace', 'every pod of namespace orders']);
    expect(access.REPLICATION).toEqual(['brokers']);
    expect(access.CONTROLLER).toEqual(['controllers', 'brokers']);
    expect(metricsAccess(model)?.reachableFrom).toEqual(['pods with app.kubernetes.io/name=prometheus in namespace monitoring']);
    expect(diagram).toContain('client1(["every pod of namespace orders"])');
    expect(diagram).toContain('client1 -->|"CLIENT :9092"| brokers_eu_west_1c');
    expect(renderTopologyMarkdown(model)).toContain('| CLIENT | 9092 | SASL_SSL, SCRAM-SHA-512 | brokers | pods with');
  });

  it('draws the external listener from its allowed ranges', () => {
    const domain = 'kafka.example.com';
    const pods = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].flatMap((zone) => [0, 1].map((ordinal) => `kafka-broker-${zone}-${ordinal}`));
    const external = modelOf(withChange(aThreeZoneProdSpec(), (spec) => {
      spec.kafka.listeners = { external: { domain } };
      spec.security = { ...spec.security, certificates: { extraDnsNames: [`bootstrap.${domain}`, ...pods.map((pod) => `${pod}.${domain}`)] } };
      spec.runtime = { kind: 'kubernetes', namespace: 'kafka', externalAccess: { sourceRanges: ['10.0.0.0/8'] } };
    }));
    const text = topologyMermaid(external);
    expect(mermaidProblems(text)).toEqual([]);
    expect(text).toContain('external(["external load balancers<br/>from 10.30.0.0/16, 10.0.0.0/8"])');
    expect(text).toContain('external -->|"EXTERNAL :9094"| brokers_eu_west_1a');
  });
});

describe('the topology of a VM cluster', () => {
  const model = modelOf(withChange(aVmStagingSpec(), (spec) => {
    spec.aws.clientCidrs = ['10.21.0.0/16'];
  }));

  it('says who may reach each listener, from the security groups', () => {
    const access = Object.fromEntries(listenerAccess(model).map((entry) => [entry.listener.name, entry.reachableFrom]));
    expect(access.CLIENT).toEqual([`security group ${model.spec.name}-kafka-clients`, '10.21.0.0/16']);
    expect(access.CONTROLLER).toEqual(['controllers', 'brokers']);
    expect(mermaidProblems(topologyMermaid(model))).toEqual([]);
  });
});

describe('dist/<env>/topology.md', () => {
  const docs = resolve(__dirname, '../../../docs/topology');

  it('is written by synth for every environment', () => {
    const files = environmentArtifacts(modelOf(aVmStagingSpec()));
    expect(files.get('topology.md')).toMatch(/^# Topology of staging\n/);
    expect(files.get('topology.md')).toContain('```mermaid\nflowchart LR\n');
  });

  // The README links these copies of the shipped examples' topology: they must be what synth writes.
  it.each(environments.map((spec) => spec.name))('docs/topology/%s.md is the current topology of that example', (name) => {
    const spec = environments.find((candidate) => candidate.name === name) as EnvironmentSpec;
    const rendered = renderTopologyMarkdown(modelOf(spec));
    const file = join(docs, `${name}.md`);
    if (process.env.UPDATE_TOPOLOGY_DOCS === '1') writeFileSync(file, rendered);
    expect(existsSync(file) ? readFileSync(file, 'utf8') : `(missing ${file})`).toBe(rendered);
  });
});
