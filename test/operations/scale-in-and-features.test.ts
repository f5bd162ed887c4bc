import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { OPERATIONS_STATE_FILE, operationsState, renderOperationsState, scaleInReviewFindings } from '../../constructs/kafka/operations/operations-state';
import { baseProblems } from '../../constructs/kafka/validation/operations-invariants';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { checkEnvironment, validateEnvironment } from '../../constructs/kafka/validation/validate';
import { prod } from '../../environments/prod';
import { synthesize } from '../../synth/synthesize';
import { synthesizeEnvironment } from '../k8s/full-synth';
import { schemaErrors } from '../k8s/kubernetes-schema';

/** prod: 2 brokers per zone in eu-west-1a/b/c (100, 101, 200, 201, 300, 301), RF 3, production tier. */
const messages = (input: EnvironmentSpec) => checkEnvironment(input).problems.map(formatProblem);
const withOperations = (operations: EnvironmentSpec['operations'], kafka: Partial<EnvironmentSpec['kafka']> = {}): EnvironmentSpec => ({ ...prod, kafka: { ...prod.kafka, ...kafka }, operations });
const stateOf = (input: EnvironmentSpec) => operationsState(buildClusterModel(validateEnvironment(input)));

describe('scale-in, step 1: brokers marked draining', () => {
  it('accepts the last broker of every zone', () => {
    expect(messages(withOperations({ brokers: { draining: [101, 201, 301] } }))).toEqual([]);
  });

  it('refuses a broker that is not one, a lower ordinal, uneven zones, and too few zones for production', () => {
    expect(messages(withOperations({ brokers: { draining: [105] } }))).toEqual([
      'prod: operations.brokers.draining[0] = 105, is not a broker of this environment (brokers: 100, 101, 200, 201, 300, 301)',
    ]);
    expect(messages(withOperations({ brokers: { draining: [100, 200, 300] } }))[0]).toMatch(
      /^prod: operations.brokers.draining = \[100,200,300\], drains kafka-broker-eu-west-1a-0 but keeps higher ordinals of zone eu-west-1a: only the last brokers of a zone \(kafka-broker-eu-west-1a-1\) can be removed/,
    );
    expect(messages(withOperations({ brokers: { draining: [101] } }))).toEqual([
      'prod: operations.brokers.draining = [101], would leave 1 in eu-west-1a, 2 in eu-west-1b, 2 in eu-west-1c: drain the same number of brokers in every zone, or a whole zone',
    ]);
    expect(messages(withOperations({ brokers: { draining: [300, 301] } }))).toEqual([
      'prod: operations.brokers.draining = [300,301], would leave 2 zones; production keeps at least kafka.replicationFactor (3) zones',
    ]);
    expect(messages(withOperations({ brokers: { draining: [200, 201] } })).some((message) => message.includes('empties zone eu-west-1b, which is not at the end of aws.availabilityZones'))).toBe(true);
  });
});

it('while brokers drain, synth emits the drain Job: reassign.sh drain with the Kafka image, as a client of the cluster', () => {
  const { objects, files } = synthesizeEnvironment(withOperations({ brokers: { draining: [101, 201, 301] } }));
  const job = objects.find((object) => object.kind === 'Job' && object.metadata.name === 'kafka-drain-101-201-301');
  expect(job?.spec.template.spec.containers[0].command).toEqual(['bash', '/etc/kafka-drain/plan/reassign.sh', 'drain']);
  expect(job?.spec.template.metadata.labels).toMatchObject({ 'kafka-typed-infra.io/client-of': 'kafka' });
  const plan = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'kafka-drain-101-201-301');
  expect(plan?.data['drain.plan']).toBe('100|eu-west-1a|keep\n101|eu-west-1a|draining\n200|eu-west-1b|keep\n201|eu-west-1b|draining\n300|eu-west-1c|keep\n301|eu-west-1c|draining\n');
  for (const object of [job, plan]) expect(schemaErrors(object as never)).toEqual([]);
  expect(files.get('operations/drain.plan')).toBe(plan?.data['drain.plan']);
  // No drain, no Job.
  expect(synthesizeEnvironment(prod).objects.some((object) => object.kind === 'Job')).toBe(false);
});

describe('scale-in, step 2: brokers recorded as drained and removed', () => {
  const base = stateOf(withOperations({ brokers: { draining: [101, 201, 301] } }));
  const removed = (drained: number[]) => withOperations({ brokers: { drained } }, { brokers: { ...prod.kafka.brokers, perZone: 1 } });

  it('refuses removing brokers the spec does not record as drained, naming them', () => {
    expect(baseProblems(base, validateEnvironment(removed([101]))).map(formatProblem)).toEqual([
      'prod: kafka.brokers.perZone = 1, removes kafka-broker-eu-west-1b-1 (201), kafka-broker-eu-west-1c-1 (301), which operations.brokers.drained does not record: list them under operations.brokers.draining first and run the drain, then move them to drained in the change that removes them',
    ]);
  });

  it('accepts the removal once every removed broker is recorded as drained', () => {
    expect(baseProblems(base, validateEnvironment(removed([101, 201, 301])))).toEqual([]);
  });

  it('refuses a drained mark on a broker that is still there', () => {
    expect(messages(withOperations({ brokers: { drained: [101] } }))).toEqual([
      'prod: operations.brokers.drained[0] = 101, is still a broker (kafka-broker-eu-west-1a-1): a drained broker leaves the topology in the same change (lower kafka.brokers.perZone or drop its zone)',
    ]);
  });

  it('review: flags a drained mark that was never a draining one in the base', () => {
    const skipped = stateOf(prod);
    const head = stateOf(removed([101, 201, 301]));
    expect(scaleInReviewFindings(skipped, head).map((finding) => finding.message)).toEqual([
      'broker 101 (kafka-broker-eu-west-1a-1) is marked drained but was never draining in the base: its replicas were not moved off it by a reviewed drain',
      'broker 201 (kafka-broker-eu-west-1b-1) is marked drained but was never draining in the base: its replicas were not moved off it by a reviewed drain',
      'broker 301 (kafka-broker-eu-west-1c-1) is marked drained but was never draining in the base: its replicas were not moved off it by a reviewed drain',
    ]);
    expect(scaleInReviewFindings(base, head)).toEqual([]);
  });

  describe('at synth, against the previous output', () => {
    const root = mkdtempSync(join(tmpdir(), 'scale-in-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const stateFile = join(root, 'dist', 'prod', OPERATIONS_STATE_FILE);
    mkdirSync(join(stateFile, '..'), { recursive: true });
    writeFileSync(stateFile, renderOperationsState(base));

    it('refuses an undrained removal and writes nothing', () => {
      expect(() => synthesize({ rootDir: root, environments: [removed([])] })).toThrow(/prod: kafka.brokers.perZone = 1, removes kafka-broker-eu-west-1a-1 \(101\), kafka-broker-eu-west-1b-1 \(201\), kafka-broker-eu-west-1c-1 \(301\)/);
      expect(existsSync(join(root, 'cdktf.out'))).toBe(false);
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual(JSON.parse(renderOperationsState(base)));
    });

    it('synthesizes the recorded drain', () => {
      synthesize({ rootDir: root, environments: [removed([101, 201, 301])] });
      const written = JSON.parse(readFileSync(stateFile, 'utf8'));
      expect(written.brokers.map((broker: { id: number }) => broker.id)).toEqual([100, 200, 300]);
      expect(written.drained).toEqual([101, 201, 301]);
    });
  });
});

describe('feature levels', () => {
  it('refuses a level beyond what the running Kafka release supports, with the field path', () => {
    expect(messages(withOperations(undefined, { version: '4.0.0', features: { metadataVersion: '4.1-IV1' } }))).toEqual([
      'prod: kafka.features.metadataVersion = "4.1-IV1", is beyond what kafka.version 4.0.0 supports (metadata.version at most 4.0-IV3): upgrade every node first, then raise the level',
    ]);
    expect(messages(withOperations(undefined, { features: { transactionVersion: 3 } }))).toEqual([
      'prod: kafka.features.transactionVersion = "3", is beyond what kafka.version 4.1.1 supports (transaction.version at most 2): upgrade every node first, then raise the level',
    ]);
    expect(messages(withOperations(undefined, { features: { metadataVersion: '4.1-IV9' } }))[0]).toMatch(/^prod: kafka.features.metadataVersion = "4.1-IV9", is not a metadata.version Kafka 4.x knows \(3.3-IV3 to 4.1-IV1\)/);
    expect(messages(withOperations(undefined, { version: '4.2.0', features: { groupVersion: 1 } }))[0]).toMatch(/^prod: kafka.version = "4.2.0", feature levels of Kafka 4.2 are not known yet/);
    expect(messages(withOperations(undefined, { features: { metadataVersion: '4.1-IV1', kraftVersion: 1, groupVersion: 1 } }))).toEqual([]);
  });

  it('refuses a downgrade below the level the base finalizes, and a Kafka release too old for it', () => {
    const base = stateOf(withOperations(undefined, { features: { metadataVersion: '4.1-IV1' } }));
    expect(baseProblems(base, validateEnvironment(withOperations(undefined, { features: { metadataVersion: '4.0-IV3' } }))).map(formatProblem)).toEqual([
      'prod: kafka.features.metadataVersion = "4.0-IV3", is below 4.1-IV1, which the base finalizes: feature levels are never lowered',
    ]);
    expect(baseProblems(base, validateEnvironment(withOperations(undefined, { version: '4.0.0' }))).map(formatProblem)).toEqual([
      'prod: kafka.version = "4.0.0", cannot run with metadata.version 4.1-IV1, which the base finalizes (it supports at most 4.0-IV3)',
    ]);
    expect(baseProblems(base, validateEnvironment(withOperations(undefined, { features: { metadataVersion: '4.1-IV1', groupVersion: 1 } })))).toEqual([]);
  });
});
