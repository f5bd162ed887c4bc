import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { ROLLER_FILES, kafkaRollerFiles } from '../../constructs/kafka/operations/kubernetes-roller';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { checkEnvironment, validateEnvironment } from '../../constructs/kafka/validation/validate';
import { prod } from '../../environments/prod';
import { objectsOfKind, synthesizedObjects } from '../security/support/manifests';
import { StubWorld, featuresTable, partitionLine, quorumTable } from './support/kafka-stubs';

/**
 * The roller script, run for real against stand-ins for kubectl and Kafka's tools (prod: 3 controllers, brokers
 * 100, 101, 200, 201, 300, 301 in three zones): one restart at a time, controllers first, each only when the
 * cluster can lose that node, each followed by a bounded wait for it to catch up; errors fail the run.
 */
const world = new StubWorld();
afterAll(() => world.cleanup());

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-02-01T00:00:00Z';
const T2 = '2026-03-01T00:00:00Z';
const PODS = [
  'kafka-controller-0', 'kafka-controller-1', 'kafka-controller-2',
  'kafka-broker-eu-west-1a-0', 'kafka-broker-eu-west-1a-1', 'kafka-broker-eu-west-1b-0',
  'kafka-broker-eu-west-1b-1', 'kafka-broker-eu-west-1c-0', 'kafka-broker-eu-west-1c-1',
];
const GROUPS = ['kafka-controller', 'kafka-broker-eu-west-1a', 'kafka-broker-eu-west-1b', 'kafka-broker-eu-west-1c'];
const HEALTHY_QUORUM = quorumTable(0, { 1: 100, 2: 300 }, [100, 101, 200, 201, 300, 301]);

interface Scenario {
  spec?: EnvironmentSpec;
  certificates?: { controller?: string; broker?: string };
  /** StatefulSet -> updateRevision (pods run r1). */
  revisions?: Record<string, string>;
  notReady?: string[];
  files?: Record<string, string>;
  /** Overrides of roll.env. */
  settings?: Record<string, string | number>;
  /** The node pods. @default PODS (prod) */
  pods?: string[];
}

function run(scenario: Scenario = {}) {
  world.reset();
  const model = buildClusterModel(validateEnvironment(scenario.spec ?? prod));
  const plan = join(world.dir, 'plan');
  const admin = join(world.dir, 'admin');
  mkdirSync(plan, { recursive: true });
  mkdirSync(admin, { recursive: true });
  const files = kafkaRollerFiles(model);
  const settings = { CATCH_UP_TIMEOUT_SECONDS: 5, POLL_SECONDS: 0, ...scenario.settings };
  files[ROLLER_FILES.settings] = files[ROLLER_FILES.settings].replace(/^([A-Z_]+)='[^']*'$/gm, (line, name: string) => (name in settings ? `${name}='${settings[name as keyof typeof settings]}'` : line));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(plan, file), text);
  writeFileSync(join(admin, 'connection.env'), files[ROLLER_FILES.connection]);
  writeFileSync(join(admin, 'password'), 'AdminPassw0rd');
  writeFileSync(join(admin, 'ca.crt'), 'CA');
  world.write('pods', (scenario.pods ?? PODS).map((pod) => `${pod}|uid-${pod}|${T1}|r1|${scenario.notReady?.includes(pod) ? 'False' : 'True'}\n`).join(''));
  for (const group of GROUPS) world.write(`revision-${group}`, scenario.revisions?.[group] ?? 'r1');
  world.write('cert-kafka-controller', scenario.certificates?.controller ?? T0);
  world.write('cert-kafka-broker', scenario.certificates?.broker ?? T0);
  world.write('quorum', HEALTHY_QUORUM);
  world.write('features', featuresTable({ 'metadata.version': { max: '4.1-IV1', finalized: '4.0-IV3' }, 'kraft.version': { max: '1', finalized: '0' } }));
  world.write('catch-up-polls', '2');
  for (const [file, text] of Object.entries(scenario.files ?? {})) world.write(file, text);
  const result = spawnSync('bash', [join(plan, ROLLER_FILES.script)], {
    encoding: 'utf8',
    env: { PATH: `${world.bin}:${process.env.PATH}`, ROLLER_PLAN_DIR: plan, ADMIN_DIR: admin, KAFKA_BIN: world.bin, KUBECTL: join(world.bin, 'kubectl') },
  });
  const events = world.events();
  const evictions = events.filter((event) => event.startsWith('kubectl create --raw')).map((event) => event.split('/')[6]);
  return { status: result.status, stderr: result.stderr, events, evictions };
}

const URP = partitionLine('orders', 0, [100, 200, 300], [200, 300]);

test('nothing to do when every pod started after its certificate and runs its revision', () => {
  const result = run();
  expect(result).toMatchObject({ status: 0, evictions: [] });
  expect(result.stderr).toMatch(/every pod runs its current certificate and revision \(0 restarted/);
});

test('restarts every outdated pod one at a time, controllers first, then brokers, in name order', () => {
  const result = run({ certificates: { controller: T2, broker: T2 } });
  expect(result.status).toBe(0);
  expect(result.evictions).toEqual(PODS);
  // Before each controller: the quorum was described; before each broker: the partition checks ran.
  const firstBroker = result.events.findIndex((event) => event.includes('eviction') && event.includes('broker'));
  expect(result.events.slice(0, firstBroker).filter((event) => event.includes('describe --replication')).length).toBeGreaterThanOrEqual(6);
  expect(result.stderr).toMatch(/\(9 restarted in this run\)/);
});

test('waits after each restart until the broker is back Ready and no partition is under-replicated', () => {
  const result = run({ certificates: { broker: T2 }, files: { 'urp-pending': URP, 'catch-up-polls': '3' } });
  expect(result.status).toBe(0);
  expect(result.evictions).toHaveLength(6);
  // Between two evictions: 3 polls that still see the under-replicated partition, 1 that sees none, then the next
  // broker's own pre-check (under-replicated, under min ISR, at min ISR).
  const evictionIndexes = result.events.flatMap((event, index) => (event.includes('eviction') ? [index] : []));
  const between = result.events.slice(evictionIndexes[0] + 1, evictionIndexes[1]);
  expect(between.filter((event) => event.includes('--under-replicated-partitions'))).toHaveLength(5);
  expect(between.filter((event) => event.includes('--at-min-isr-partitions'))).toHaveLength(1);
  expect(between.some((event) => event.startsWith('kubectl get pods') && event.includes('eu-west-1a'))).toBe(true);
});

test('waits after a controller restart until it caught up with the leader', () => {
  const behind = quorumTable(0, { 1: 100, 2: 60000 });
  const result = run({ certificates: { controller: T2 }, files: { 'quorum-pending': behind, 'catch-up-polls': '2' } });
  expect(result.status).toBe(0);
  expect(result.evictions).toEqual(PODS.slice(0, 3));
});

test('refuses while a partition is under-replicated', () => {
  const result = run({ certificates: { broker: T2 }, files: { urp: URP } });
  expect(result).toMatchObject({ status: 0, evictions: [] });
  expect(result.stderr).toMatch(/not restarting kafka-broker-eu-west-1a-0 \(started .*\): under-replicated partitions \(partition isr\): orders-0 200,300;/);
});

test('refuses while a partition is below min.insync.replicas', () => {
  const result = run({ certificates: { broker: T2 }, files: { 'under-min': partitionLine('payments', 3, [101, 201, 301], [301]) } });
  expect(result.evictions).toEqual([]);
  expect(result.stderr).toMatch(/partitions below min.insync.replicas: payments-3 301;/);
});

test('refuses a broker in the ISR of a partition at min.insync.replicas, not one outside it', () => {
  const atMin = partitionLine('billing', 1, [100, 200, 300], [100, 200]) + partitionLine('billing', 2, [101, 201, 301], [201, 301]);
  const result = run({ certificates: { broker: T2 }, files: { 'at-min': atMin } });
  expect(result.evictions).toEqual([]);
  expect(result.stderr).toMatch(/partitions at min.insync.replicas with broker 100 in their ISR: billing-1/);
  // Broker 100 is only outdated because of its revision here, and 101 is not in billing-1's ISR.
  const onlyZoneA1 = run({ revisions: { 'kafka-broker-eu-west-1a': 'r2' }, files: { 'at-min': partitionLine('billing', 1, [100, 200, 300], [100, 200]) } });
  expect(onlyZoneA1.evictions).toEqual([]);
  const other = run({ certificates: { broker: T2 }, files: { 'at-min': partitionLine('billing', 2, [101, 201, 301], [201, 301]) } });
  expect(other.evictions[0]).toBe('kafka-broker-eu-west-1a-0');
});

test('in dev, a single broker at its min ISR still restarts (it could never restart otherwise); elsewhere that is off limits', () => {
  const dev = {
    ...prod,
    name: 'dev-like',
    tier: 'dev' as const,
    kafka: { ...prod.kafka, brokers: { ...prod.kafka.brokers, perZone: 1 }, replicationFactor: 1, minInsyncReplicas: 1, controllers: { ...prod.kafka.controllers, count: 1 } },
    aws: { ...prod.aws, availabilityZones: ['eu-west-1a'] },
    // prod's topics ask for min.insync.replicas 2, which a one-broker cluster cannot hold.
    topics: {},
    quotas: [],
  };
  const result = run({ spec: dev, pods: ['kafka-controller-0', 'kafka-broker-eu-west-1a-0'], certificates: { broker: T2 }, files: { 'at-min': partitionLine('orders', 0, [100], [100]), quorum: quorumTable(0, {}) } });
  expect(result.evictions).toEqual(['kafka-broker-eu-west-1a-0']);
  expect(result.events.some((event) => event.includes('--at-min-isr-partitions'))).toBe(false);
  expect(checkEnvironment({ ...prod, operations: { rolling: { protectMinInsyncReplicas: false } } }).problems.map(formatProblem)).toEqual([
    'prod: operations.rolling.protectMinInsyncReplicas = false, only dev may restart a broker that would take a partition below min.insync.replicas',
  ]);
});

test('refuses a controller while a voter lags behind or the quorum misses a voter', () => {
  const lagging = run({ certificates: { controller: T2 }, files: { quorum: quorumTable(1, { 0: 100, 2: 9000 }) } });
  expect(lagging.evictions).toEqual([]);
  expect(lagging.stderr).toMatch(/not restarting kafka-controller-0 .*: voter 2 is not caught up \(9000 ms behind the leader\)/);
  const missing = run({ certificates: { controller: T2 }, files: { quorum: quorumTable(1, { 0: 100 }) } });
  expect(missing.stderr).toMatch(/the quorum reports 2 voters, expected 3/);
  expect(missing.evictions).toEqual([]);
});

test('a node that does not catch up in time fails the run, after exactly one restart', () => {
  const result = run({ certificates: { broker: T2 }, settings: { CATCH_UP_TIMEOUT_SECONDS: 1 }, files: { 'urp-pending': URP, 'catch-up-polls': '100000' } });
  expect(result.status).toBe(1);
  expect(result.evictions).toEqual(['kafka-broker-eu-west-1a-0']);
  expect(result.stderr).toMatch(/ERROR: gave up after 1s waiting for the partitions of broker 100 to catch up/);
});

test('a pod that does not come back Ready fails the run', () => {
  const result = run({ certificates: { broker: T2 }, settings: { CATCH_UP_TIMEOUT_SECONDS: 1 }, files: { 'stuck-kafka-broker-eu-west-1a-0': '' } });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/ERROR: gave up after 1s waiting for kafka-broker-eu-west-1a-0 to come back Ready/);
});

test('Kafka and Kubernetes API errors fail the run and are reported as errors, never as "not ready"', () => {
  const kafka = run({ certificates: { broker: T2 }, files: { 'fail-kafka-topics.sh': '' } });
  expect(kafka.status).toBe(1);
  expect(kafka.evictions).toEqual([]);
  expect(kafka.stderr).toMatch(/ERROR: kafka-topics.sh --describe --under-replicated-partitions failed: .*TimeoutException/);
  const kube = run({ certificates: { broker: T2 }, files: { 'fail-kubectl': '' } });
  expect(kube.status).toBe(1);
  expect(kube.stderr).toMatch(/ERROR: kubectl get pods .* failed: error: You must be logged in to the server \(Unauthorized\)/);
  const forbidden = run({ certificates: { broker: T2 }, files: { 'evict-error': '' } });
  expect(forbidden.status).toBe(1);
  expect(forbidden.stderr).toMatch(/ERROR: eviction of kafka-broker-eu-west-1a-0 failed: Error from server \(Forbidden\)/);
  const quorum = run({ certificates: { controller: T2 }, files: { 'fail-kafka-metadata-quorum.sh': '' } });
  expect(quorum.status).toBe(1);
});

test('an eviction refused by the disruption budget is a wait, not an error', () => {
  const result = run({ certificates: { broker: T2 }, files: { 'evict-refuse': '' } });
  expect(result.status).toBe(0);
  expect(result.evictions).toEqual(['kafka-broker-eu-west-1a-0']);
  expect(result.stderr).toMatch(/refused by the disruption budget; the next run retries/);
});

test('waits while any node is not Ready (something else is restarting it)', () => {
  const result = run({ certificates: { broker: T2 }, notReady: ['kafka-broker-eu-west-1b-1'] });
  expect(result).toMatchObject({ status: 0, evictions: [] });
  expect(result.stderr).toMatch(/waiting: not every Kafka pod is Ready \(kafka-broker-eu-west-1b-1 \)/);
});

test('re-creates the pods of an outdated StatefulSet revision (image or config change), controllers first', () => {
  const result = run({ revisions: { 'kafka-controller': 'r2', 'kafka-broker-eu-west-1b': 'r2' } });
  expect(result.evictions).toEqual(['kafka-controller-0', 'kafka-controller-1', 'kafka-controller-2', 'kafka-broker-eu-west-1b-0', 'kafka-broker-eu-west-1b-1']);
  expect(result.stderr).toMatch(/restarting kafka-broker-eu-west-1b-0: runs revision r1, kafka-broker-eu-west-1b is at r2/);
});

const withFeatures = (features: NonNullable<EnvironmentSpec['kafka']['features']>): EnvironmentSpec => ({ ...prod, kafka: { ...prod.kafka, features } });

test('raises metadata.version alone once every pod is current, never kraft.version unless asked', () => {
  const result = run({ spec: withFeatures({ metadataVersion: '4.1-IV1' }) });
  expect(result.status).toBe(0);
  const upgrades = result.events.filter((event) => event.includes(' upgrade '));
  expect(upgrades).toEqual(['kafka-features.sh upgrade --feature metadata.version=27']);
  expect(result.stderr).toMatch(/feature metadata.version: upgraded from 4.0-IV3 to 27/);
  // Asked for explicitly, kraft.version moves too, in its own --feature.
  const kraft = run({ spec: withFeatures({ metadataVersion: '4.1-IV1', kraftVersion: 1 }) });
  expect(kraft.events.filter((event) => event.includes(' upgrade '))).toEqual([
    'kafka-features.sh upgrade --feature metadata.version=27',
    'kafka-features.sh upgrade --feature kraft.version=1',
  ]);
});

test('does not touch feature levels while a pod still waits for its restart, or beyond what the cluster supports', () => {
  const pending = run({ spec: withFeatures({ metadataVersion: '4.1-IV1' }), certificates: { broker: T2 }, files: { urp: URP } });
  expect(pending.events.some((event) => event.includes('kafka-features.sh'))).toBe(false);
  const unsupported = run({
    spec: withFeatures({ metadataVersion: '4.1-IV1' }),
    files: { features: featuresTable({ 'metadata.version': { max: '4.0-IV3', finalized: '4.0-IV3' } }) },
  });
  expect(unsupported.status).toBe(1);
  expect(unsupported.stderr).toMatch(/ERROR: feature metadata.version: the cluster supports at most 4.0-IV3, the plan wants 27 \(are all nodes upgraded\?\)/);
  const lower = run({ spec: withFeatures({ metadataVersion: '4.0-IV3' }), files: { features: featuresTable({ 'metadata.version': { max: '4.1-IV1', finalized: '4.1-IV1' } }) } });
  expect(lower.status).toBe(1);
  expect(lower.stderr).toMatch(/finalized at 4.1-IV1, above the plan's 25: levels are never lowered/);
  expect(lower.events.some((event) => event.includes(' upgrade '))).toBe(false);
});

test('its RBAC is read-only on the node Certificates and StatefulSets, plus list pods and create evictions', () => {
  const role = objectsOfKind(synthesizedObjects(prod), 'Role').find((object) => object.metadata.name === 'kafka-roller');
  expect((role as unknown as { rules: unknown[] }).rules).toEqual([
    { apiGroups: ['cert-manager.io'], resources: ['certificates'], resourceNames: ['kafka-controller', 'kafka-broker'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: GROUPS, verbs: ['get'] },
  ]);
});

test('every StatefulSet leaves updates to the roller (OnDelete)', () => {
  const kafka = synthesizedObjects(prod, 'kafka.yaml');
  expect(objectsOfKind(kafka, 'StatefulSet').map((object) => [object.metadata.name, object.spec.updateStrategy])).toEqual(GROUPS.map((group) => [group, { type: 'OnDelete' }]));
});
