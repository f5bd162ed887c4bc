import { type DesiredTopic, desiredTopics } from '../../../constructs/kafka/topics/desired-topics';
import { type CurrentTopic, isNoOp, planTopics } from '../../../constructs/kafka/topics/topic-plan';
import { parseTopicConfigsDescribe, parseTopicsDescribe, parseQuotaDescribe } from '../../../constructs/kafka/topics/describe-output';
import { desiredQuotas, planQuotas } from '../../../constructs/kafka/topics/quota-plan';
import { ENVIRONMENTS, resolved } from '../../security/fixtures';

const topic = (name: string, partitions: number, configs: Record<string, string> = {}, deleted = false): DesiredTopic => ({
  name,
  partitions,
  replicationFactor: 3,
  configs,
  deleted,
  path: `topics.${name}`,
});
const existing = (name: string, partitions: number, configs: Record<string, string> = {}, replicationFactor = 3): CurrentTopic => ({ name, partitions, replicationFactor, configs });

describe('planTopics', () => {
  it('creates what is missing, with its configs', () => {
    const plan = planTopics([topic('orders', 6, { 'retention.ms': '1000' })], []);
    expect(plan.create.map((created) => [created.name, created.partitions, created.configs])).toEqual([['orders', 6, { 'retention.ms': '1000' }]]);
    expect(isNoOp(plan)).toBe(false);
  });

  it('raises partitions and alters only the configs that differ, removing undeclared ones but not reassignment throttles', () => {
    const plan = planTopics(
      [topic('orders', 12, { 'retention.ms': '2000', 'cleanup.policy': 'delete' })],
      [existing('orders', 6, { 'retention.ms': '1000', 'cleanup.policy': 'delete', 'segment.ms': '5', 'follower.replication.throttled.replicas': '*' })],
    );
    expect(plan.increasePartitions).toEqual([{ name: 'orders', from: 6, to: 12 }]);
    expect(plan.alterConfigs).toEqual([{ name: 'orders', set: { 'retention.ms': '2000' }, delete: ['segment.ms'] }]);
    expect(plan.create).toEqual([]);
  });

  it('is a no-op when the cluster matches', () => {
    const plan = planTopics([topic('orders', 6, { 'retention.ms': '1000' })], [existing('orders', 6, { 'retention.ms': '1000' })]);
    expect(isNoOp(plan)).toBe(true);
    expect(plan.refused).toEqual([]);
  });

  it('refuses a partition decrease and a replication-factor change, saying why', () => {
    const plan = planTopics([topic('orders', 3), topic('payments', 6)], [existing('orders', 6), existing('payments', 6, {}, 2)]);
    expect(plan.refused).toEqual([
      { name: 'orders', reason: expect.stringContaining('the spec asks for 3 partitions, the cluster has 6; Kafka cannot remove partitions') },
      { name: 'payments', reason: expect.stringContaining('replication factor 2 on the cluster, 3 in the spec') },
    ]);
    expect(plan.increasePartitions).toEqual([]);
    expect(isNoOp(plan)).toBe(true);
  });

  it('deletes an owned topic only when marked deleted, and reports unowned ones without touching them', () => {
    const plan = planTopics([topic('old', 3, {}, true), topic('gone-already', 3, {}, true)], [existing('old', 3), existing('theirs', 1), existing('__consumer_offsets', 50)]);
    expect(plan.delete).toEqual(['old']);
    expect(plan.unmanaged).toEqual(['theirs']);
    expect(plan.alterConfigs).toEqual([]);
  });
});

describe('desiredTopics', () => {
  it('expands dead-letter companions and resolves the replication factor', () => {
    const spec = resolved({
      ...ENVIRONMENTS.prod,
      topics: { orders: { partitions: 12, configs: { 'retention.ms': 1000, 'cleanup.policy': ['compact', 'delete'] }, deadLetter: { partitions: 2, configs: { 'retention.ms': 5000 } } }, plain: { partitions: 1, replicationFactor: 4, deadLetter: true } },
    });
    expect(desiredTopics(spec).map(({ name, partitions, replicationFactor, configs }) => ({ name, partitions, replicationFactor, configs }))).toEqual([
      { name: 'orders', partitions: 12, replicationFactor: 3, configs: { 'cleanup.policy': 'compact,delete', 'retention.ms': '1000' } },
      { name: 'orders.dlq', partitions: 2, replicationFactor: 3, configs: { 'cleanup.policy': 'compact,delete', 'retention.ms': '5000' } },
      { name: 'plain', partitions: 1, replicationFactor: 4, configs: {} },
      { name: 'plain.dlq', partitions: 1, replicationFactor: 4, configs: {} },
    ]);
  });
});

describe('planQuotas', () => {
  const spec = resolved({ ...ENVIRONMENTS.prod, quotas: [{ user: 'orders', limits: { producer_byte_rate: 10485760 } }, { clientId: 'etl', limits: {} }] });
  it('sets what differs, compares Kafka doubles as numbers, removes dropped keys, and leaves undeclared entities alone', () => {
    const current = parseQuotaDescribe(
      [
        "Quota configs for user-principal 'orders' are producer_byte_rate=1.048576E7, request_percentage=50.0",
        "Quota configs for client-id 'etl' are consumer_byte_rate=100.0",
        "Quota configs for user-principal 'other' are producer_byte_rate=1.0",
      ].join('\n'),
    );
    expect(planQuotas(desiredQuotas(spec), current)).toEqual([
      { entity: 'orders|', set: {}, delete: ['request_percentage'] },
      { entity: '|etl', set: {}, delete: ['consumer_byte_rate'] },
    ]);
    expect(planQuotas(desiredQuotas(spec), new Map([['orders|', { producer_byte_rate: 10485760 }]]))).toEqual([]);
    expect(planQuotas(desiredQuotas(spec), new Map())).toEqual([{ entity: 'orders|', set: { producer_byte_rate: 10485760 }, delete: [] }]);
  });

  it('reads the default entities as Kafka prints them', () => {
    expect([...parseQuotaDescribe("Quota configs for the default user-principal, client-id 'x' are producer_byte_rate=5.0").entries()]).toEqual([['<default>|x', { producer_byte_rate: 5 }]]);
  });
});

describe('reading kafka-topics.sh and kafka-configs.sh output', () => {
  it('takes the header lines and the dynamic configs, ignoring partition lines and synonyms', () => {
    const topics = parseTopicsDescribe(
      'Topic: orders\tTopicId: x1\tPartitionCount: 6\tReplicationFactor: 3\tConfigs: cleanup.policy=compact,delete,min.insync.replicas=2\n' +
        '\tTopic: orders\tPartition: 0\tLeader: 101\tReplicas: 101,201,301\tIsr: 101,201,301\tElr: \tLastKnownElr: \n',
    );
    expect(topics).toEqual([{ name: 'orders', partitions: 6, replicationFactor: 3 }]);
    const configs = parseTopicConfigsDescribe(
      'Dynamic configs for topic orders are:\n  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}\n',
    );
    expect(configs.get('orders')).toEqual({ 'cleanup.policy': 'compact,delete' });
  });
});
