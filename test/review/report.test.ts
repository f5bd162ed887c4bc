import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environments } from '../../environments';
import { renderJson } from '../../review/render-json';
import { COMMENT_MARKER, renderMarkdown } from '../../review/render-markdown';
import { reviewSynthRoots } from '../../review/report';
import { readSynthRoot } from '../../review/synth-root';
import { readPlanFile } from '../../review/terraform/plan-file';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { review, synthRoot, writeFixture } from './support';
import { rmSync } from 'node:fs';

let base: string;
beforeAll(() => {
  base = synthRoot(environments);
});
afterAll(removeTempDirs);

/**
 * A copy of the shipped output to edit by hand, for rules no valid spec can trigger: of one environment (its
 * dist/<env>/ and cdktf.out/stacks/<env>-*), for a review of that environment alone, or of all of them.
 */
function copyOfBase(environment?: string): string {
  const copy = makeTempDir('kafka-review-copy-');
  if (environment === undefined) {
    cpSync(base, copy, { recursive: true });
    return copy;
  }
  cpSync(join(base, 'dist', environment), join(copy, 'dist', environment), { recursive: true });
  const stacks = join('cdktf.out', 'stacks');
  for (const stack of readdirSync(join(base, stacks)).filter((name) => name.startsWith(`${environment}-`))) {
    cpSync(join(base, stacks, stack), join(copy, stacks, stack), { recursive: true });
  }
  return copy;
}

function editFile(root: string, path: string, edit: (text: string) => string): void {
  const file = join(root, path);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

test('an output reviewed against itself reports no change in any environment', () => {
  const result = review(base, base);
  expect(result.environments.map((environment) => [environment.environment, environment.status])).toEqual([['dev', 'unchanged'], ['prod', 'unchanged'], ['staging', 'unchanged']]);
  for (const environment of result.environments) {
    expect(environment.dangers).toEqual([]);
    expect(environment.terraform).toEqual([]);
    expect(environment.kubernetes).toEqual([]);
    expect(environment.kafka.roll.steps).toEqual([]);
  }
});

test('the report is byte-identical across runs, from separate syntheses of the same specs', () => {
  const head = copyOfBase();
  editFile(head, 'dist/prod/kafka/kafka-broker-eu-west-1a-0.properties', (text) => text.replace('min.insync.replicas=2', 'min.insync.replicas=1'));
  const again = synthRoot(environments);
  const first = review(base, head);
  const second = reviewSynthRoots(readSynthRoot(again), readSynthRoot(head));
  expect(renderMarkdown(second)).toBe(renderMarkdown(first));
  expect(renderJson(second)).toBe(renderJson(first));
  expect(renderMarkdown(first).split('\n')[0]).toBe(COMMENT_MARKER);
});

test('dangers come first and say what, where, why and what to do instead', () => {
  const head = copyOfBase('prod');
  editFile(head, 'dist/prod/kafka/kafka-broker-eu-west-1a-0.properties', (text) => text.replace('min.insync.replicas=2', 'min.insync.replicas=1'));
  const markdown = renderMarkdown(review(base, head, ['prod']));
  const dangers = markdown.indexOf('### Dangers');
  expect(dangers).toBeGreaterThan(0);
  expect(dangers).toBeLessThan(markdown.indexOf('### Kafka'));
  expect(markdown).toContain('**[data loss] min.insync.replicas lowered from 2 to 1** (`min-insync-replicas-lowered`)');
  expect(markdown).toContain('   - where: prod: min.insync.replicas on kafka-broker-eu-west-1a-0');
  expect(markdown).toMatch(/ {3}- why: .+\n {3}- instead: .+/);
});

test.each([
  ['unclean.leader.election.enable=false', 'unclean.leader.election.enable=true', 'data-loss/unclean-leader-election'],
  ['log.dirs=/var/lib/kafka/data', 'log.dirs=/data/kafka', 'data-loss/log-dirs-moved'],
  ['node.id=100', 'node.id=150', 'data-loss/node-id-changed'],
  ['allow.everyone.if.no.acl.found=false', 'allow.everyone.if.no.acl.found=true', 'security/allow-everyone'],
  ['super.users=User:kafka-broker;User:kafka-controller;User:admin', 'super.users=User:kafka-broker;User:kafka-controller;User:admin;User:orders', 'security/super-user-added'],
  ['CLIENT:SASL_SSL', 'CLIENT:SASL_PLAINTEXT', 'security/plaintext-listener'],
  ['auto.create.topics.enable=false', 'auto.create.topics.enable=false\nlog.retention.hours=24', 'data-loss/retention-shortened'],
])('a config edit %s → %s is flagged as %s, and nothing else', (before, after, rule) => {
  const head = copyOfBase('prod');
  editFile(head, 'dist/prod/kafka/kafka-broker-eu-west-1a-0.properties', (text) => {
    expect(text).toContain(before);
    return text.replace(before, after);
  });
  const dangers = review(base, head, ['prod']).environments[0].dangers;
  expect(dangers.map((danger) => `${danger.category}/${danger.rule}`)).toEqual([rule]);
});

test('a changed cluster id and a feature-level bump in the start script are flagged', () => {
  const head = copyOfBase('prod');
  editFile(head, 'dist/prod/kubernetes/kafka.yaml', (text) =>
    text
      .replace(/(name: KAFKA_CLUSTER_ID\n\s+value: )iISawsuGVJrthHr6igQxdA/g, '$1AAAAAAAAAAAAAAAAAAAAAA').replace('export EXTRA_ARGS=', '/opt/kafka/bin/kafka-features.sh --bootstrap-server localhost:9092 upgrade --release-version 4.1\\n                export EXTRA_ARGS='),
  );
  const rules = review(base, head, ['prod']).environments[0].dangers.map((danger) => `${danger.category}/${danger.rule}`);
  expect(rules).toEqual(['data-loss/cluster-id-changed', 'irreversible/feature-level-bump']);
});

test('a Kafka downgrade is irreversible', () => {
  const head = synthRoot(environments.map((spec) => (spec.name === 'prod' ? { ...spec, kafka: { ...spec.kafka, version: '4.0.0' } } : spec)), ['prod']);
  const dangers = review(base, head, ['prod']).environments[0].dangers;
  expect(dangers.map((danger) => danger.rule)).toEqual(['kafka-downgrade']);
  expect(dangers[0].what).toBe('Kafka downgraded from 4.1.1 to 4.0.0');
});

test('the report embeds the topology of base and head when synth wrote topology.md', () => {
  const head = copyOfBase('prod');
  const before = '```mermaid\nflowchart LR\n  zoneA[eu-west-1a] --> b100[broker 100]\n```\n';
  const after = '```mermaid\nflowchart LR\n  zoneA[eu-west-1a] --> b100[broker 100]\n  zoneA --> b101[broker 101]\n```\n';
  const withTopology = copyOfBase('prod');
  writeFixture(withTopology, 'dist/prod/topology.md', before);
  writeFixture(head, 'dist/prod/topology.md', after);
  const markdown = renderMarkdown(review(withTopology, head, ['prod']));
  expect(markdown).toContain('### Topology');
  expect(markdown).toContain(`<summary>before (base)</summary>\n\n${before.trimEnd()}`);
  expect(markdown).toContain(`<summary>after (head)</summary>\n\n${after.trimEnd()}`);
  const unchanged = renderMarkdown(review(withTopology, withTopology, ['prod']));
  expect(unchanged).toContain('<summary>unchanged</summary>');
  // Without topology.md on either side (outputs of older versions) the section is left out.
  const withoutTopology = copyOfBase('prod');
  rmSync(join(withoutTopology, 'dist/prod/topology.md'), { force: true });
  expect(renderMarkdown(review(withoutTopology, withoutTopology, ['prod']))).not.toContain('### Topology');
});

test('a terraform show -json plan overrides the prediction of its stack', () => {
  const head = synthRoot(environments.map((spec) => (spec.name === 'dev' ? { ...spec, aws: { ...spec.aws, vpcCidr: '10.11.0.0/16' } } : spec)), ['dev']);
  const predicted = review(base, head, ['dev']).environments[0];
  const vpc = predicted.terraform.find((change) => change.type === 'aws_vpc')!;
  expect(vpc.action).toBe('replace');
  // The plan says what the provider decided; here (made up for the test) it replaces the VPC and nothing else.
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: [
      { address: vpc.address, mode: 'managed', type: 'aws_vpc', name: vpc.address.split('.')[1], change: { actions: ['delete', 'create'], before: { cidr_block: '10.10.0.0/16', id: 'vpc-1' }, after: { cidr_block: '10.11.0.0/16' }, after_unknown: { id: true }, replace_paths: [['cidr_block']] } },
      { address: 'aws_kms_key.unchanged', mode: 'managed', type: 'aws_kms_key', name: 'unchanged', change: { actions: ['no-op'], before: {}, after: {}, after_unknown: {} } },
    ],
  };
  const planFile = writeFixture(makeTempDir(), 'dev-network.plan.json', JSON.stringify(plan));
  const planned = reviewSynthRoots(readSynthRoot(base), readSynthRoot(head), { only: ['dev'], plans: [readPlanFile('dev-network', planFile)] }).environments[0];
  expect(planned.plannedStacks).toEqual(['dev-network']);
  expect(planned.terraform.map((change) => [change.address, change.action, change.source])).toEqual([[vpc.address, 'replace', 'plan']]);
  expect(planned.terraform[0].attributes).toEqual([
    { path: 'cidr_block', before: '10.10.0.0/16', after: '10.11.0.0/16', forcesReplacement: true },
    { path: 'id', before: 'vpc-1', forcesReplacement: false, knownAfterApply: true },
  ]);
  expect(planned.dangers.map((danger) => danger.rule)).toEqual(['network-replaced']);
});

/** Planted edits of the shipped output, one per rule no valid spec triggers today; each must be found alone. */
const job = (image: string) =>
  `---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: kafka-once\n  namespace: kafka\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: once\n          image: ${image}\n`;

/** Title, environment, edit of the head copy, expected dangers, and an edit of a base copy where one is needed. */
const PLANTED: readonly [string, string, (root: string) => void, string[], ((root: string) => void)?][] = [
  ['a loosened broker PDB', 'prod', (root) => editFile(root, 'dist/prod/kubernetes/kafka.yaml', (text) => text.replace(/(name: kafka-broker\n {2}namespace: kafka\nspec:\n {2}maxUnavailable: )1/, '$12')), ['availability/pdb-loosened']],
  ['a Service exposed as a LoadBalancer', 'prod', (root) => editFile(root, 'dist/prod/kubernetes/kafka.yaml', (text) => text.replace(/( {2}type: )ClusterIP/, '$1LoadBalancer')), ['security/service-exposed']],
  ['a NetworkPolicy admitting the internet', 'prod', (root) => editFile(root, 'dist/prod/kubernetes/security.yaml', (text) => text.replace(/(name: kafka-broker\n {2}namespace: kafka\nspec:\n {2}egress:[\s\S]*?\n {2}ingress:\n)/, '$1    - from:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n')), ['security/network-policy-opened']],
  ['broker StatefulSets rolled by Kubernetes itself', 'prod', (root) => editFile(root, 'dist/prod/kubernetes/kafka.yaml', (text) => text.replace(/updateStrategy:\n {4}type: OnDelete/g, 'updateStrategy:\n    type: RollingUpdate').replace(/apache\/kafka:4\.1\.1/g, 'apache/kafka:4.1.2')), ['availability/parallel-restart']],
  // The Job exists on both sides with a different template (a new Job is no danger).
  ['a Job template changed', 'prod', (root) => editFile(root, 'dist/prod/kubernetes/security.yaml', (text) => `${text}${job('apache/kafka:4.1.2')}`), ['availability/immutable-job-template'], (root) => editFile(root, 'dist/prod/kubernetes/security.yaml', (text) => `${text}${job('apache/kafka:4.1.1')}`)],
  ['an unencrypted data volume', 'staging', (root) => editFile(root, 'cdktf.out/stacks/staging-kafka/cdk.tf.json', (text) => {
    const document = JSON.parse(text);
    const volume = Object.values<Record<string, unknown>>(document.resource.aws_ebs_volume)[0];
    volume.encrypted = false;
    delete volume.kms_key_id;
    return JSON.stringify(document, null, 2);
  }), ['data-loss/data-volume-removed', 'security/encryption-removed']],
  ['a wider IAM policy', 'staging', (root) => editFile(root, 'cdktf.out/stacks/staging-kafka/cdk.tf.json', (text) => {
    const document = JSON.parse(text);
    document.data.aws_iam_policy_document['fleet_broker-policy_2202D3C3'].statement.push({ actions: ['s3:*'], resources: ['*'] });
    return JSON.stringify(document, null, 2);
  }), ['security/iam-widened']],
  ['the authoriser removed and replication lowered', 'prod', (root) => editFile(root, 'dist/prod/kafka/kafka-broker-eu-west-1a-0.properties', (text) => text.replace(/authorizer\.class\.name=.*\n/, '').replace('default.replication.factor=3', 'default.replication.factor=2')), ['data-loss/replication-factor-lowered', 'security/authorizer-off']],
];

// Every row gets all five cells: jest would take a missing last argument for a done callback.
test.each(PLANTED.map((row) => [row[0], row[1], row[2], row[3], row[4] ?? null] as const))('%s is found, and nothing else', (_title, environment, plantHead, expected, plantBase) => {
  const head = copyOfBase(environment);
  plantHead(head);
  const baseRoot = plantBase ? copyOfBase(environment) : base;
  if (plantBase) plantBase(baseRoot);
  const dangers = review(baseRoot, head, [environment]).environments[0].dangers;
  expect(dangers.map((danger) => `${danger.category}/${danger.rule}`)).toEqual(expected);
});

describe('an EKS node group that rolls its nodes', () => {
  const GROUP = 'node-groups_kafka-broker-eu-west-1a_0350E8B1';
  /** The shipped prod output with the broker node group of eu-west-1a given a new AMI release (and more). */
  function rollOneGroup(edit: (group: Record<string, any>) => void = () => {}): string {
    const head = copyOfBase('prod');
    editFile(head, 'cdktf.out/stacks/prod-nodes/cdk.tf.json', (text) => {
      const document = JSON.parse(text);
      const group = document.resource.aws_eks_node_group[GROUP];
      group.release_version = '1.31.4-20260101';
      edit(group);
      return JSON.stringify(document, null, 2);
    });
    return head;
  }

  test('one zone’s brokers, one node at a time, under the broker budget: a notice, not a danger', () => {
    const head = rollOneGroup();
    const environment = review(base, head, ['prod']).environments[0];
    expect(environment.dangers).toEqual([]);
    expect(environment.notices.map((notice) => [notice.rule, notice.what, notice.where])).toEqual([
      ['node-group-roll', '1 EKS node group(s) roll: every node is replaced and the Kafka pods on it restart (2 broker(s))', 'prod-nodes: prod-kafka-broker-eu-west-1a (eu-west-1a, max unavailable 1); release_version changes'],
    ]);
    expect(environment.kafka.nodes.filter((node) => node.restart).map((node) => `${node.node} ${node.restart!.mechanism}`)).toEqual([
      'kafka-broker-eu-west-1a-0 node-group-roll',
      'kafka-broker-eu-west-1a-1 node-group-roll',
    ]);
    const markdown = renderMarkdown(review(base, head, ['prod']));
    expect(markdown).toContain('No dangers found.');
    expect(markdown.indexOf('### Notices')).toBeGreaterThan(markdown.indexOf('### Dangers'));
    expect(JSON.parse(renderJson(review(base, head, ['prod']))).dangerCount).toBe(0);
  });

  test('two broker nodes drained at once, or the budgets overridden by force_update_version: a danger', () => {
    const twoAtOnce = review(base, rollOneGroup((group) => { group.update_config = { max_unavailable: 2 }; }), ['prod']).environments[0];
    expect(twoAtOnce.notices).toEqual([]);
    expect(twoAtOnce.dangers.map((danger) => danger.why.split(':')[0])).toEqual(['2 broker nodes are drained at the same time']);
    const forced = review(base, rollOneGroup((group) => { group.force_update_version = true; }), ['prod']).environments[0];
    expect(forced.dangers.map((danger) => danger.why.split(':')[0])).toEqual(['force_update_version is set']);
  });
});
