import type { DesiredTopic } from './desired-topics';
import { TOOL_MANAGED_TOPIC_CONFIGS } from './topic-configs';

/**
 * The pure topic planner: what the reconcile does to bring the cluster's topics to the spec. The reconcile script
 * (`security/scripts/reconcile.sh`) runs the same rules in awk on the same plan files; a test runs both on the same
 * inputs and compares.
 *
 * Rules: create what is missing; raise partitions, never lower them (Kafka cannot); set configs that differ and
 * remove dynamic configs the spec no longer declares (except the throttles a running reassignment owns); delete a
 * topic only when the spec marks it deleted; report every other topic as unmanaged and leave it alone. A changed
 * replication factor moves data between brokers: the planner refuses and says how to do it by hand.
 */

/** A topic as the cluster reports it: partition count, replication factor and its dynamic (per-topic) configs. */
export interface CurrentTopic {
  /** Topic name. */
  readonly name: string;
  /** Number of partitions on the cluster. */
  readonly partitions: number;
  /** Replicas per partition on the cluster. */
  readonly replicationFactor: number;
  /** Dynamic topic configs (key -> value as Kafka prints it); broker defaults are not included. */
  readonly configs: Readonly<Record<string, string>>;
}

/** The config changes of one topic (`kafka-configs.sh --alter`). */
export interface ConfigAlteration {
  /** Topic name. */
  readonly name: string;
  /** Key -> new value. */
  readonly set: Readonly<Record<string, string>>;
  /** Keys to remove (back to the broker default). */
  readonly delete: readonly string[];
}

/** What the topic reconcile does to make the cluster match the spec, sorted by topic name. */
export interface TopicPlan {
  /** Topics the spec declares and the cluster lacks, created with their partitions, replication factor and configs. */
  readonly create: readonly DesiredTopic[];
  /** Topics that get more partitions (`from` on the cluster, `to` in the spec). */
  readonly increasePartitions: readonly { readonly name: string; readonly from: number; readonly to: number }[];
  /** Topics whose dynamic configs change. */
  readonly alterConfigs: readonly ConfigAlteration[];
  /** Names of topics the spec marks `deleted` that still exist. */
  readonly delete: readonly string[];
  /** What the reconcile will not do, with why; it exits non-zero after applying the rest. */
  readonly refused: readonly { readonly name: string; readonly reason: string }[];
  /** Topics on the cluster no spec owns (internal `__*` topics aside): reported, never touched. */
  readonly unmanaged: readonly string[];
}

/** Whether a plan changes nothing on the cluster. */
export function isNoOp(plan: TopicPlan): boolean {
  return plan.create.length + plan.increasePartitions.length + plan.alterConfigs.length + plan.delete.length === 0;
}

/** Why the reconcile refuses a topic whose spec has fewer partitions than the cluster. */
export function partitionDecreaseReason(name: string, want: number, have: number): string {
  return `topic ${name}: the spec asks for ${want} partitions, the cluster has ${have}; Kafka cannot remove partitions (create a new topic and migrate)`;
}

/** Why the reconcile refuses a topic whose replication factor differs from the cluster's, and what to do instead. */
export function replicationChangeReason(name: string, want: number, have: number): string {
  return (
    `topic ${name}: replication factor ${have} on the cluster, ${want} in the spec; changing it moves data: ` +
    'run a rack-aware, throttled kafka-reassign-partitions.sh by hand (docs/topics.md)'
  );
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The plan from the spec's topics (`desiredTopics(spec)`) and the cluster's: what to create, grow, reconfigure and
 * delete, what it refuses and why, and which topics are not the spec's.
 */
export function planTopics(desired: readonly DesiredTopic[], current: readonly CurrentTopic[]): TopicPlan {
  const have = new Map(current.map((topic) => [topic.name, topic]));
  const owned = new Set(desired.map((topic) => topic.name));
  const create: DesiredTopic[] = [];
  const increasePartitions: { name: string; from: number; to: number }[] = [];
  const alterConfigs: ConfigAlteration[] = [];
  const deleted: string[] = [];
  const refused: { name: string; reason: string }[] = [];

  for (const topic of [...desired].sort(byName)) {
    const existing = have.get(topic.name);
    if (topic.deleted) {
      if (existing) deleted.push(topic.name);
      continue;
    }
    if (!existing) {
      create.push(topic);
      continue;
    }
    if (existing.replicationFactor !== topic.replicationFactor) {
      refused.push({ name: topic.name, reason: replicationChangeReason(topic.name, topic.replicationFactor, existing.replicationFactor) });
    }
    if (topic.partitions < existing.partitions) {
      refused.push({ name: topic.name, reason: partitionDecreaseReason(topic.name, topic.partitions, existing.partitions) });
    } else if (topic.partitions > existing.partitions) {
      increasePartitions.push({ name: topic.name, from: existing.partitions, to: topic.partitions });
    }
    const set = Object.fromEntries(Object.entries(topic.configs).filter(([key, value]) => existing.configs[key] !== value));
    const remove = Object.keys(existing.configs)
      .filter((key) => !(key in topic.configs) && !TOOL_MANAGED_TOPIC_CONFIGS.includes(key))
      .sort();
    if (Object.keys(set).length > 0 || remove.length > 0) alterConfigs.push({ name: topic.name, set, delete: remove });
  }
  const unmanaged = current
    .map((topic) => topic.name)
    .filter((name) => !owned.has(name) && !name.startsWith('__'))
    .sort();
  return { create, increasePartitions, alterConfigs, delete: deleted, refused, unmanaged };
}

/** `topics.desired`: `name|partitions|replicationFactor|present|deleted`, one owned topic per line. */
export function desiredTopicLine(topic: DesiredTopic): string {
  return [topic.name, topic.partitions, topic.replicationFactor, topic.deleted ? 'deleted' : 'present'].join('|');
}

/** `topics.configs`: `name|key|value`, one declared config per line. */
export function topicConfigLines(topic: DesiredTopic): string[] {
  return Object.keys(topic.configs)
    .sort()
    .map((key) => [topic.name, key, topic.configs[key]].join('|'));
}

/** The previous plan's `topics.desired` back as name -> partitions (for the partition-decrease check). */
export function parseDesiredTopicLines(text: string): Map<string, { partitions: number; deleted: boolean }> {
  const topics = new Map<string, { partitions: number; deleted: boolean }>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [name, partitions, , state] = line.split('|');
    const count = Number(partitions);
    if (!name || !Number.isInteger(count)) throw new Error(`not a topics.desired line: ${JSON.stringify(line)}`);
    topics.set(name, { partitions: count, deleted: state === 'deleted' });
  }
  return topics;
}
