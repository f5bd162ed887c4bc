/**
 * The two runtimes agree on dedicated Kafka nodes: every Kafka pod of prod selects labels that an EKS node group of
 * its zone and role carries, and tolerates that node group's taint (otherwise pods stay Pending, or land on
 * shared nodes next to noisy neighbours).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { environments } from '../../environments';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

const root = makeTempDir('placement-');
synthesize({ rootDir: root, environments, only: ['prod'] });
const objects = parseAllDocuments(readFileSync(join(root, 'dist/prod/kubernetes/kafka.yaml'), 'utf8')).map((doc) => doc.toJS());
const statefulSets = objects.filter((object) => object.kind === 'StatefulSet');
const nodeGroups = Object.values(
  JSON.parse(readFileSync(join(root, 'cdktf.out/stacks/prod-nodes/cdk.tf.json'), 'utf8')).resource.aws_eks_node_group as Record<string, any>,
);
// EKS spells taint effects NO_SCHEDULE; Kubernetes spells them NoSchedule.
const kubernetesEffect = (effect: string) => ({ NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' })[effect];

it.each(statefulSets.map((sts) => [sts.metadata.name, sts] as const))('%s runs on a dedicated node group it selects and tolerates', (_name, sts) => {
  const pod = sts.spec.template.spec;
  const zones: string[] = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values;
  const matching = nodeGroups.filter((group) => Object.entries(pod.nodeSelector ?? {}).every(([key, value]) => group.labels?.[key] === value));
  expect(matching.length).toBeGreaterThan(0);
  for (const group of matching) {
    for (const taint of group.taint ?? []) {
      expect(pod.tolerations).toContainEqual(expect.objectContaining({ key: taint.key, value: taint.value, effect: kubernetesEffect(taint.effect) }));
    }
  }
  // Every zone the pods may be scheduled in has such a node group.
  for (const zone of zones) {
    expect(matching.some((group) => JSON.stringify(group.subnet_ids).includes(zone))).toBe(true);
  }
});

it('gives the node groups room for every pod of their role and zone', () => {
  const brokersPerZone = statefulSets.filter((sts) => sts.metadata.name.startsWith('kafka-broker-')).map((sts) => sts.spec.replicas);
  const brokerGroups = nodeGroups.filter((group) => group.labels['kafka-typed-infra.io/role'] === 'broker');
  expect(brokerGroups).toHaveLength(brokersPerZone.length);
  for (const group of brokerGroups) expect(group.scaling_config.desired_size).toBe(brokersPerZone[0]);
});
