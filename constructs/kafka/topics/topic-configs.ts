import type { TopicConfigValue } from '../spec/topics';

/**
 * The topic configs Kafka 4.x accepts, with the type and range of Kafka's own ConfigDef (LogConfig's CONFIG
 * definition; `test/fixtures/kafka-4-topic-config-keys.txt` records the source and a test keeps the two equal).
 * Validation checks every declared config against this table, so a typo or an out-of-range value fails at synth
 * instead of in the reconcile, where the broker would reject the whole alteration.
 */

export type TopicConfigType = 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'LIST';

/** What Kafka's ConfigDef accepts for one topic config key. */
export interface TopicConfigRule {
  /** The ConfigDef type, which decides how a value is parsed and rendered. */
  readonly type: TopicConfigType;
  /** Inclusive lower bound (`Range.atLeast` / `between`); a bigint for INT and LONG. @default - the type's own minimum */
  readonly min?: number | bigint;
  /** Inclusive upper bound (`Range.between`); a bigint for INT and LONG. @default - the type's own maximum */
  readonly max?: number | bigint;
  /** For STRING (`ValidString.in`) and LIST (`ValidList.in`): the allowed values. @default - any value */
  readonly allowed?: readonly string[];
  /** Extra allowed value outside the range (gzip's DEFAULT_LEVEL = -1). @default - none */
  readonly alsoAllowed?: number;
  /**
   * Set by Kafka's own tools, never declared in a spec (the reconcile leaves them alone too); says which tool.
   * @default - none: a spec may declare it
   */
  readonly toolManaged?: string;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const throttled = 'kafka-reassign-partitions.sh sets it for the duration of a reassignment';

/** Every topic config key Kafka 4.x accepts, by key (`retention.ms`), with its type and range. */
export const TOPIC_CONFIGS: Readonly<Record<string, TopicConfigRule>> = {
  'cleanup.policy': { type: 'LIST', allowed: ['compact', 'delete'] },
  'compression.gzip.level': { type: 'INT', min: 1n, max: 9n, alsoAllowed: -1 },
  'compression.lz4.level': { type: 'INT', min: 1n, max: 17n },
  'compression.type': { type: 'STRING', allowed: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] },
  'compression.zstd.level': { type: 'INT', min: -131072n, max: 22n },
  'delete.retention.ms': { type: 'LONG', min: 0n },
  'file.delete.delay.ms': { type: 'LONG', min: 0n },
  'flush.messages': { type: 'LONG', min: 1n },
  'flush.ms': { type: 'LONG', min: 0n },
  'follower.replication.throttled.replicas': { type: 'LIST', toolManaged: throttled },
  'index.interval.bytes': { type: 'INT', min: 0n },
  'leader.replication.throttled.replicas': { type: 'LIST', toolManaged: throttled },
  'local.retention.bytes': { type: 'LONG', min: -2n },
  'local.retention.ms': { type: 'LONG', min: -2n },
  'max.compaction.lag.ms': { type: 'LONG', min: 1n },
  'max.message.bytes': { type: 'INT', min: 0n },
  'message.timestamp.after.max.ms': { type: 'LONG', min: 0n },
  'message.timestamp.before.max.ms': { type: 'LONG', min: 0n },
  'message.timestamp.type': { type: 'STRING', allowed: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { type: 'DOUBLE', min: 0, max: 1 },
  'min.compaction.lag.ms': { type: 'LONG', min: 0n },
  'min.insync.replicas': { type: 'INT', min: 1n },
  preallocate: { type: 'BOOLEAN' },
  'remote.log.copy.disable': { type: 'BOOLEAN' },
  'remote.log.delete.on.disable': { type: 'BOOLEAN' },
  'remote.storage.enable': { type: 'BOOLEAN' },
  'retention.bytes': { type: 'LONG' },
  'retention.ms': { type: 'LONG', min: -1n },
  'segment.bytes': { type: 'INT', min: 1048576n },
  'segment.index.bytes': { type: 'INT', min: 4n },
  'segment.jitter.ms': { type: 'LONG', min: 0n },
  'segment.ms': { type: 'LONG', min: 1n },
  'unclean.leader.election.enable': { type: 'BOOLEAN' },
};

/** Topic config keys the reconcile never removes although no spec declares them. */
export const TOOL_MANAGED_TOPIC_CONFIGS: readonly string[] = Object.keys(TOPIC_CONFIGS).filter((key) => TOPIC_CONFIGS[key].toolManaged);

/** The value as `kafka-configs.sh` takes it and `--describe` prints it: lists joined by commas, no spaces. */
export function renderTopicConfigValue(value: TopicConfigValue): string {
  if (Array.isArray(value)) return value.map((item) => item.trim()).join(',');
  return String(value);
}

function integerOf(text: string): bigint | undefined {
  return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}

function describeRange(rule: TopicConfigRule): string {
  const { min, max } = rule;
  const range = min !== undefined && max !== undefined ? `${min}–${max}` : min !== undefined ? `≥ ${min}` : max !== undefined ? `≤ ${max}` : '';
  return rule.alsoAllowed !== undefined ? `${range} (or ${rule.alsoAllowed})` : range;
}

/** What is wrong with `key = value` for a topic, or undefined when Kafka 4.x accepts it. */
export function topicConfigProblem(key: string, value: TopicConfigValue): string | undefined {
  const rule = TOPIC_CONFIGS[key];
  if (!rule) {
    const near = Object.keys(TOPIC_CONFIGS).filter((known) => known.split('.').some((part) => key.split('.').includes(part) && part.length > 3));
    return `is not a topic config Kafka 4.x accepts${near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : ''}`;
  }
  if (rule.toolManaged) return `is not declared in a spec: ${rule.toolManaged}`;
  const text = renderTopicConfigValue(value);
  switch (rule.type) {
    case 'BOOLEAN':
      return text === 'true' || text === 'false' ? undefined : 'must be true or false';
    case 'INT':
    case 'LONG': {
      const [low, high] = rule.type === 'INT' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
      const number = integerOf(text);
      if (number === undefined || Array.isArray(value)) return `must be a whole number (Kafka type ${rule.type})`;
      if (number < low || number > high) return `is outside Kafka's ${rule.type} range ${low}–${high}`;
      if (rule.alsoAllowed !== undefined && number === BigInt(rule.alsoAllowed)) return undefined;
      if ((rule.min !== undefined && number < BigInt(rule.min)) || (rule.max !== undefined && number > BigInt(rule.max))) {
        return `must be ${describeRange(rule)}`;
      }
      return undefined;
    }
    case 'DOUBLE': {
      const number = typeof value === 'number' ? value : /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(number)) return 'must be a number';
      if ((rule.min !== undefined && number < Number(rule.min)) || (rule.max !== undefined && number > Number(rule.max))) return `must be ${describeRange(rule)}`;
      return undefined;
    }
    case 'STRING':
      if (Array.isArray(value)) return 'must be a single value';
      return rule.allowed && !rule.allowed.includes(text) ? `must be one of ${rule.allowed.join(', ')}` : undefined;
    case 'LIST': {
      const items = text.split(',');
      if (items.some((item) => item === '')) return 'must be a non-empty comma-separated list';
      const wrong = rule.allowed ? items.filter((item) => !rule.allowed!.includes(item)) : [];
      if (wrong.length > 0) return `may only list ${rule.allowed!.join(', ')} (not ${wrong.join(', ')})`;
      if (new Set(items).size !== items.length) return 'lists a value twice';
      return undefined;
    }
  }
}
