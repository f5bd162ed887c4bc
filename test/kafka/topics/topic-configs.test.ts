import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_CONFIGS, topicConfigProblem } from '../../../constructs/kafka/topics/topic-configs';

const fixture = readFileSync(join(__dirname, '../../fixtures/kafka-4-topic-config-keys.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => line.split(' ') as [string, string]);

it('knows exactly the topic configs of Kafka 4.x\'s LogConfig, with their types', () => {
  expect(Object.entries(TOPIC_CONFIGS).map(([key, rule]) => [key, rule.type]).sort()).toEqual([...fixture].sort());
});

it.each([
  ['retention.ms', 604800000, undefined],
  ['retention.ms', -1, undefined],
  ['retention.ms', -2, 'must be ≥ -1'],
  ['retention.ms', '9223372036854775807', undefined],
  ['retention.ms', '9223372036854775808', "is outside Kafka's LONG range"],
  ['segment.bytes', 1024, 'must be ≥ 1048576'],
  ['max.message.bytes', 2147483648, "is outside Kafka's INT range"],
  ['min.insync.replicas', 1.5, 'must be a whole number'],
  ['min.cleanable.dirty.ratio', 0.5, undefined],
  ['min.cleanable.dirty.ratio', 1.5, 'must be 0–1'],
  ['cleanup.policy', 'compact,delete', undefined],
  ['cleanup.policy', ['compact', 'delete'], undefined],
  ['cleanup.policy', 'compacted', 'may only list compact, delete (not compacted)'],
  ['compression.type', 'zstd', undefined],
  ['compression.type', 'brotli', 'must be one of uncompressed, zstd, lz4, snappy, gzip, producer'],
  ['compression.gzip.level', -1, undefined],
  ['compression.gzip.level', 0, 'must be 1–9 (or -1)'],
  ['preallocate', 'yes', 'must be true or false'],
  ['unclean.leader.election.enable', false, undefined],
  ['message.timestamp.type', 'LogAppendTime', undefined],
  ['retention.hours', 1, 'is not a topic config Kafka 4.x accepts'],
  ['message.format.version', '3.0', 'is not a topic config Kafka 4.x accepts'],
  ['leader.replication.throttled.replicas', '*', 'is not declared in a spec: kafka-reassign-partitions.sh sets it'],
] as const)('%s = %j: %s', (key, value, problem) => {
  const found = topicConfigProblem(key, value as never);
  if (problem === undefined) expect(found).toBeUndefined();
  else expect(found).toContain(problem);
});
