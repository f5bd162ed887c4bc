import { z } from 'zod';

/**
 * Topics and client quotas as code. Names, partition counts and configs are checked against Kafka's own rules at
 * synth (`validation/topic-invariants.ts`); the reconcile applies them to the running cluster on both runtimes.
 */

/** A topic config value as written in the spec; rendered the way `kafka-configs.sh` takes it. */
const topicConfigValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type TopicConfigValue = z.output<typeof topicConfigValue>;

const topicConfigs = z.record(z.string(), topicConfigValue).default(() => ({}));

/** The dead-letter companion `<topic>.dlq`: same replication, its own partitions and configs if given. */
const deadLetterSchema = z.union([
  z.boolean(),
  z.strictObject({
    /** Partitions of the companion. @default - the topic's */
    partitions: z.number().int('must be a whole number').min(1, 'must be ≥ 1').optional(),
    /** Configs of the companion, on top of the topic's. @default - the topic's configs */
    configs: topicConfigs,
  }),
]);

export const topicSchema = z.strictObject({
  /** Number of partitions. Kafka can only raise it; validation refuses a decrease against a previous output. */
  partitions: z.number().int('must be a whole number').min(1, 'must be ≥ 1'),
  /** Replicas per partition. @default - kafka.replicationFactor */
  replicationFactor: z.number().int('must be a whole number').min(1, 'must be ≥ 1').optional(),
  /** Topic configs by Kafka's key (`retention.ms`, `cleanup.policy`, ...); only keys Kafka 4.x accepts for topics. @default {} */
  configs: topicConfigs,
  /** Also declare `<topic>.dlq`; `true` copies partitions and configs. @default false */
  deadLetter: deadLetterSchema.default(false),
  /**
   * Delete the topic (and its dead-letter companion) from the cluster. Keep the entry until every environment has
   * reconciled; a topic simply removed from the spec is left alone, reported as unmanaged. @default false
   */
  deleted: z.boolean().default(false),
});
/** One topic of `topics`, as the reconcile sees it: every default filled in. */
export type TopicSpec = z.output<typeof topicSchema>;
/** One topic of `topics` as written in an environment file (defaults may be left out). */
export type TopicSpecInput = z.input<typeof topicSchema>;

/** Topics by name. @default {} */
export const topicsSchema = z.record(z.string(), topicSchema).default(() => ({}));

/** The quota keys of a user and/or client id, spelt as Kafka spells them (QuotaConfig). */
export const QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage', 'controller_mutation_rate'] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];

/** Stands for Kafka's default entity (`--entity-default`): the quota of every user / client id without its own. */
export const DEFAULT_QUOTA_ENTITY = '<default>';

// A principal name or client id as kafka-configs.sh takes it on the command line, or the default entity.
const quotaEntityName = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^(<default>|[A-Za-z0-9._@=,+-]+)$/, `must be "${DEFAULT_QUOTA_ENTITY}" or use only A-Z, a-z, 0-9 and . _ @ = , + -`);

const byteRate = z.number().int('must be whole bytes per second').min(1, 'must be ≥ 1 byte per second');
const positiveRate = z.number().positive('must be > 0');

export const quotaSchema = z.strictObject({
  /** User principal name, or `'<default>'` for every user without its own quota. @default - not per user */
  user: quotaEntityName.optional(),
  /** Client id, or `'<default>'` for every client id without its own quota. @default - not per client id */
  clientId: quotaEntityName.optional(),
  /**
   * The limits. A key dropped from here is removed from the cluster; `{}` removes every quota of the entity.
   * Entities not declared are never touched.
   */
  limits: z.strictObject({
    /** Bytes per second a producer may write, per broker. @default - no limit */
    producer_byte_rate: byteRate.optional(),
    /** Bytes per second a consumer may fetch, per broker. @default - no limit */
    consumer_byte_rate: byteRate.optional(),
    /** Percentage of one request-handler and network thread, per broker (may exceed 100). @default - no limit */
    request_percentage: positiveRate.optional(),
    /** Partition creations and deletions per second (KIP-599). @default - no limit */
    controller_mutation_rate: positiveRate.optional(),
  }),
});
/** One entry of `quotas`: the entity (user, client id or both) and its limits. */
export type QuotaSpec = z.output<typeof quotaSchema>;

/** Client quotas, one entry per entity (user, client id, or both). @default [] */
export const quotasSchema = z.array(quotaSchema).default(() => []);
