import { formatProblem } from '../../../constructs/kafka/validation/problems';
import { checkEnvironment } from '../../../constructs/kafka/validation/validate';
import { aThreeZoneProdSpec, aVmStagingSpec } from '../../fixtures/environments';

function problemsOf(runtime: Record<string, unknown>, change: (spec: ReturnType<typeof aThreeZoneProdSpec>) => void = () => {}): string[] {
  const spec = aThreeZoneProdSpec();
  spec.runtime = { kind: 'kubernetes', namespace: 'kafka', ...runtime } as typeof spec.runtime;
  change(spec);
  return checkEnvironment(spec).problems.map(formatProblem);
}

describe('Kubernetes runtime rules', () => {
  it('accepts the fixture', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('needs a class name when it does not create the class', () => {
    expect(problemsOf({ storageClass: { create: false }, priorityClass: { create: false } })).toEqual([
      'prod: runtime.storageClass.name is missing, required when runtime.storageClass.create is false (the existing class to use)',
      'prod: runtime.priorityClass.name is missing, required when runtime.priorityClass.create is false (the existing class to use)',
    ]);
  });

  it('makes production pods start without the internet: the JMX exporter jar from a mirror image', () => {
    const download = (spec: ReturnType<typeof aThreeZoneProdSpec>) => (spec.monitoring = { jmxExporter: {} });
    expect(problemsOf({}, download)).toEqual([
      'prod: monitoring.jmxExporter.image is missing, required in production: a mirror image carrying the JMX exporter jar (with jarPath), so that no Kafka pod depends on the internet to start',
    ]);
    expect(problemsOf({}, (spec) => (download(spec), (spec.tier = 'staging')))).toEqual([]);
    expect(problemsOf({}, (spec) => (spec.monitoring = { enabled: false }))).toEqual([]);
  });

  it('keeps production volumes', () => {
    expect(problemsOf({ storageClass: { reclaimPolicy: 'Delete' } })).toEqual([
      `prod: runtime.storageClass.reclaimPolicy = "Delete", must be "Retain" in production: deleting a claim must never delete a broker's data`,
    ]);
  });

  it('refuses parallel per-zone rolling updates in production', () => {
    expect(problemsOf({ brokerUpdateStrategy: 'RollingUpdate' })[0]).toMatch(
      /^prod: runtime.brokerUpdateStrategy = "RollingUpdate", would restart one broker in each of the 3 zones at once/,
    );
  });

  it('wants the KMS key in the region of the volumes', () => {
    expect(problemsOf({ storageClass: { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' } })).toEqual([
      'prod: runtime.storageClass.kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/abc", is in us-east-1, but EBS volumes of eu-west-1 need a key of eu-west-1',
    ]);
  });

  it('checks tolerations', () => {
    expect(problemsOf({ tolerations: [{ operator: 'Exists', value: 'x' }, { value: 'kafka' }] })).toEqual([
      'prod: runtime.tolerations[0].value = "x", must be empty with operator "Exists"',
      'prod: runtime.tolerations[1].key is missing, required with operator "Equal" (only "Exists" may tolerate every key)',
    ]);
  });

  it('refuses StatefulSet names too long for their pods to be labelled', () => {
    const problems = problemsOf({}, (spec) => {
      spec.kafka.clusterName = 'a-really-quite-long-cluster-name-for-kfk';
    });
    expect(problems.some((problem) => problem.startsWith('prod: kafka.clusterName = "a-really-quite-long-cluster-name-for-kfk", makes StatefulSet name(s)'))).toBe(true);
  });

  it('reports schema errors of the options with their path', () => {
    expect(problemsOf({ brokerTerminationGracePeriodSeconds: 5, runAsUser: 0, imagePullPolicy: 'Sometimes' })).toEqual([
      expect.stringMatching(/^prod: runtime.imagePullPolicy = "Sometimes", /),
      'prod: runtime.brokerTerminationGracePeriodSeconds = 5, must be ≥ 30 s: a controlled shutdown moves leadership first',
      'prod: runtime.runAsUser = 0, must be ≥ 1: Kafka never runs as root',
    ]);
  });

  it('has no rules for VM environments', () => {
    expect(checkEnvironment(aVmStagingSpec()).problems).toEqual([]);
  });
});
