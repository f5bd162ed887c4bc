import type { EnvironmentSpec } from '../../../constructs/kafka/spec/environment-spec';
import { partitionDecreaseProblems } from '../../../constructs/kafka/validation/topic-invariants';
import { reconcilePlanFiles } from '../../../constructs/kafka/security/reconcile-script';
import { buildClusterModel } from '../../../constructs/kafka/model/cluster-model';
import { ENVIRONMENTS, problemsOf, resolved } from '../../security/fixtures';

const prod = ENVIRONMENTS.prod;
const staging = ENVIRONMENTS.staging;
const withTopics = (base: EnvironmentSpec, topics: EnvironmentSpec['topics'], quotas: EnvironmentSpec['quotas'] = []): EnvironmentSpec => ({ ...base, topics, quotas });
/** Problems of the spec, as `path: message` lines. */
const problems = (spec: EnvironmentSpec) => problemsOf(spec).map((problem) => `${problem.path}: ${problem.message}`);

it('accepts the shipped environments', () => {
  for (const spec of Object.values(ENVIRONMENTS)) expect(problems(spec)).toEqual([]);
});

describe.each([
  ['a name with characters Kafka refuses', { 'orders/v1': { partitions: 1 } }, 'topics.orders/v1: may only use ASCII letters, digits'],
  ['a name longer than 249 characters', { [`t${'x'.repeat(249)}`]: { partitions: 1 } }, 'Kafka allows at most 249'],
  ['a dead-letter companion that pushes the name past 249', { [`t${'x'.repeat(246)}`]: { partitions: 1, deadLetter: true } }, 'deadLetter: is 251 characters'],
  ['an internal-looking name', { __mine: { partitions: 1 } }, 'which Kafka reserves for internal topics'],
  ['"." as a name', { '.': { partitions: 1 } }, 'is not a valid topic name'],
  ['a "." / "_" collision', { 'a.b': { partitions: 1 }, a_b: { partitions: 1 } }, "collides with a.b (topics.a.b): Kafka's metric names treat"],
  ['a topic that duplicates a dead-letter companion', { orders: { partitions: 1, deadLetter: true }, 'orders.dlq': { partitions: 1 } }, 'declares topic orders.dlq twice'],
  ['more replicas than brokers', { orders: { partitions: 1, replicationFactor: 7 } }, 'topics.orders.replicationFactor: exceeds the 6 brokers'],
  ['fewer than 3 replicas in production', { orders: { partitions: 1, replicationFactor: 2, configs: { 'min.insync.replicas': 1 } } }, 'must be ≥ 3 in production'],
  ['min.insync.replicas not below the replication factor', { orders: { partitions: 1, configs: { 'min.insync.replicas': 3 } } }, 'topics.orders.configs.min.insync.replicas: min.insync.replicas 3 must be below the replication factor 3'],
  ['min.insync.replicas below 2 in production', { orders: { partitions: 1, configs: { 'min.insync.replicas': 1 } } }, 'must be ≥ 2 in production'],
  ['an unknown config key', { orders: { partitions: 1, configs: { 'retention.hours': 1 } } }, 'topics.orders.configs.retention.hours: is not a topic config Kafka 4.x accepts'],
  ['a config value of the wrong type', { orders: { partitions: 1, configs: { 'retention.ms': 'a week' } } }, 'topics.orders.configs.retention.ms: must be a whole number (Kafka type LONG)'],
  ['a config value out of range in the dead-letter companion', { orders: { partitions: 1, deadLetter: { configs: { 'segment.bytes': 1 } } } }, 'topics.orders.deadLetter.configs.segment.bytes: must be ≥ 1048576'],
  ['zero partitions', { orders: { partitions: 0 } }, 'topics.orders.partitions: must be ≥ 1'],
  ['a misspelt topic field', { orders: { partitions: 1, partition: 3 } as never }, 'topics.orders.partition: is not a known field'],
] as const)('topics: %s', (_, topics, expected) => {
  it('fails with the field path', () => {
    expect(problems(withTopics(prod, topics as EnvironmentSpec['topics'])).join('\n')).toContain(expected);
  });
});

it('passes each topic rule with a valid counterpart', () => {
  expect(
    problems(
      withTopics(prod, {
        'orders.v1': { partitions: 1, deadLetter: true },
        'a.b': { partitions: 1 },
        orders: { partitions: 1, replicationFactor: 6, configs: { 'min.insync.replicas': 2, 'retention.ms': 604800000, 'segment.bytes': 1073741824, 'cleanup.policy': ['compact', 'delete'] } },
      }),
    ),
  ).toEqual([]);
});

it('requires production replicas to spread over three zones', () => {
  const twoZones: EnvironmentSpec = { ...prod, aws: { ...prod.aws, availabilityZones: ['eu-west-1a', 'eu-west-1b'] }, kafka: { ...prod.kafka, brokers: { ...prod.kafka.brokers, perZone: 3 } } };
  expect(problems(withTopics(twoZones, { orders: { partitions: 1, replicationFactor: 3 } }))).toContain('topics.orders.replicationFactor: production replicas must spread over 3 zones, the cluster has 2');
  // A topic that inherits kafka.replicationFactor is covered by the cluster's rule, not reported again per topic.
  expect(problems(withTopics(twoZones, { orders: { partitions: 1 } })).filter((problem) => problem.startsWith('topics.'))).toEqual([]);
});

it('refuses a single replica outside dev, and allows it in dev', () => {
  expect(problems(withTopics(staging, { scratch: { partitions: 1, replicationFactor: 1 } })).join('\n')).toContain('topics.scratch.replicationFactor: must be ≥ 2 outside dev');
  expect(problems(withTopics(ENVIRONMENTS.dev, { scratch: { partitions: 1 } }))).toEqual([]);
});

describe.each([
  ['an entity that names neither user nor client id', [{ limits: { producer_byte_rate: 1 } }], 'quotas[0]: must name a user, a clientId or both'],
  ['the same entity twice', [{ user: 'orders', limits: {} }, { user: 'orders', limits: { producer_byte_rate: 1 } }], 'quotas[1]: is the same entity as quotas[0]'],
  ['a client id of the default user', [{ user: '<default>', clientId: 'etl', limits: {} }], 'quotas[0].clientId: Kafka has no quota for a client id of the default user'],
  ['a fractional byte rate', [{ user: 'orders', limits: { producer_byte_rate: 1.5 } }], 'quotas[0].limits.producer_byte_rate: must be whole bytes per second'],
  ['a zero request percentage', [{ clientId: 'etl', limits: { request_percentage: 0 } }], 'quotas[0].limits.request_percentage: must be > 0'],
  ['an unknown quota key', [{ user: 'orders', limits: { producer_rate: 1 } as never }], 'quotas[0].limits.producer_rate: is not a known field'],
] as const)('quotas: %s', (_, quotas, expected) => {
  it('fails with the field path', () => {
    expect(problems(withTopics(prod, {}, quotas as unknown as EnvironmentSpec['quotas'])).join('\n')).toContain(expected);
  });
});

it('passes valid quotas of every entity kind', () => {
  const quotas = [
    { user: 'orders', limits: { producer_byte_rate: 1048576, consumer_byte_rate: 2097152 } },
    { clientId: 'etl', limits: { request_percentage: 150 } },
    { user: 'orders', clientId: 'orders-backfill', limits: { controller_mutation_rate: 10 } },
    { user: '<default>', limits: { producer_byte_rate: 1048576 } },
    { user: '<default>', clientId: '<default>', limits: {} },
  ];
  expect(problems(withTopics(prod, {}, quotas))).toEqual([]);
});

it('refuses user quotas when clients do not authenticate (dev)', () => {
  expect(problems(withTopics(ENVIRONMENTS.dev, {}, [{ user: 'orders', limits: { producer_byte_rate: 1 } }])).join('\n')).toContain('quotas[0].user: user quotas need authenticated clients');
});

describe('partitions against a previous synth output', () => {
  const previous = reconcilePlanFiles(buildClusterModel(resolved(prod)))['topics.desired'];
  it('reports a decrease with the field path, the topic and both counts', () => {
    const lowered = resolved(withTopics(prod, { ...prod.topics, orders: { ...prod.topics!.orders, partitions: 12, deadLetter: { partitions: 1 } } }));
    expect(partitionDecreaseProblems(previous, lowered).map((problem) => `${problem.path} = ${problem.value}: ${problem.message}`)).toEqual([
      'topics.orders.partitions = 12: is lower than the 24 partitions of topic orders in the previous output; Kafka cannot remove partitions',
      'topics.orders.deadLetter.partitions = 1: is lower than the 3 partitions of topic orders.dlq in the previous output; Kafka cannot remove partitions',
    ]);
  });
  it('accepts the same or more partitions, new topics and deleted ones', () => {
    const raised = resolved(withTopics(prod, { ...prod.topics, orders: { ...prod.topics!.orders, partitions: 48 }, fresh: { partitions: 1 }, payments: { partitions: 1, deleted: true } }));
    expect(partitionDecreaseProblems(previous, raised)).toEqual([]);
  });
  it('refuses a file that is not a topic plan', () => {
    expect(() => partitionDecreaseProblems('orders,24\n', resolved(prod))).toThrow(/not a topics.desired line/);
  });
});
