import { z } from 'zod';

/**
 * Day-2 operations: the feature levels the cluster is finalized at, the brokers being drained or already drained,
 * and the limits of rolling restarts and partition reassignments. Nothing here changes a running cluster by itself:
 * the roller and the scripts of `constructs/kafka/operations/` read it.
 */

const level = z.number().int('must be a whole feature level').min(0, 'must be ≥ 0');

/**
 * Kafka's finalized feature levels (`kafka-features.sh describe`), raised by the roller only after every node runs
 * a release that supports them. Unset fields are left where they are. Kafka's names are in the docs of each field.
 */
export const featureLevelsSchema = z
  .strictObject({
    /** `metadata.version`, as Kafka spells it (`4.1-IV1`). @default - not managed: stays at the level storage was formatted with */
    metadataVersion: z
      .string()
      .regex(/^\d+\.\d+-IV\d+$/, 'must be a metadata version such as 4.1-IV1')
      .optional(),
    /**
     * `kraft.version`. 1 turns the static quorum (`controller.quorum.voters`) dynamic, irreversibly; set it only as
     * the first step of a quorum migration (docs/operations.md). @default - not managed (0 for a static quorum)
     */
    kraftVersion: z.union([z.literal(0), z.literal(1)]).optional(),
    /** `group.version` (1: the KIP-848 consumer group protocol). @default - not managed */
    groupVersion: level.optional(),
    /** `transaction.version` (2: KIP-890 transactions). @default - not managed */
    transactionVersion: level.optional(),
    /** `eligible.leader.replicas.version` (1: KIP-966 ELR). @default - not managed */
    eligibleLeaderReplicasVersion: level.optional(),
  })
  .prefault({});
/** `kafka.features`: the feature levels the roller finalizes once every node supports them. */
export type FeatureLevelsSpec = z.output<typeof featureLevelsSchema>;

const nodeId = z.number().int().min(0);

export const operationsSchema = z
  .strictObject({
    /**
     * Scale-in in two reviewed steps: list a broker under `draining` (its replicas are moved off it), then, once it
     * holds none, move it to `drained` and lower `kafka.brokers.perZone` (or drop its zone) in the same change.
     * @default - none draining, none drained
     */
    brokers: z
      .strictObject({
        /** Node ids of brokers whose replicas are being moved to the others. @default [] */
        draining: z.array(nodeId).default(() => []),
        /** Node ids of brokers that were drained and are removed (or about to be) from the topology. @default [] */
        drained: z.array(nodeId).default(() => []),
      })
      .prefault({}),
    /** Limits of the one-node-at-a-time rolling restart (`docs/operations.md`). @default - each limit's own default */
    rolling: z
      .strictObject({
        /** Seconds a restarted node gets to come back in sync before the roll fails. @default 900 */
        catchUpTimeoutSeconds: z.number().int().min(30, 'must be ≥ 30').max(86400).default(900),
        /** Seconds between two checks while waiting. @default 10 */
        pollSeconds: z.number().int().min(1).max(300).default(10),
        /**
         * A voter counts as caught up when the leader's last caught-up time for it is at most this old (Kafka's own
         * `controller.quorum.fetch.timeout.ms` default). @default 2000
         */
        quorumCaughtUpMs: z.number().int().min(100).max(60000).default(2000),
        /**
         * Refuse to restart a broker in the ISR of a partition at its min.insync.replicas. Only dev may turn it off: a
         * single broker, or RF 1, can never restart otherwise. @default - true, false in dev
         */
        protectMinInsyncReplicas: z.boolean().optional(),
      })
      .prefault({}),
    /** Limits of partition reassignments (draining brokers, replication factor changes). @default - 50 MiB/s throttle, 24 h timeout */
    reassignment: z
      .strictObject({
        /** Replication throttle while partitions move, bytes/s per broker (`--throttle`). @default 52428800 (50 MiB/s) */
        throttleBytesPerSecond: z.number().int().min(1048576, 'must be ≥ 1 MiB/s (1048576)').default(52428800),
        /** Hours a reassignment may take before its script gives up waiting (it can be resumed). @default 24 */
        timeoutHours: z.number().int().min(1).max(720).default(24),
      })
      .prefault({}),
  })
  .prefault({});
/** The `operations` part of a spec (draining brokers, roll and reassignment limits), defaults filled in. */
export type OperationsSpec = z.output<typeof operationsSchema>;
