import type { ResolvedSpec } from '../spec/environment-spec';
import type { TopicSpec } from '../spec/topics';
import { renderTopicConfigValue } from './topic-configs';

/**
 * The topics a spec declares, dead-letter companions expanded and defaults resolved: what the reconcile makes true
 * on the cluster. Every name here is owned by the spec; any other topic on the cluster is reported, never touched.
 */

/** Suffix of a dead-letter companion: `orders` -> `orders.dlq`. */
export const DEAD_LETTER_SUFFIX = '.dlq';

/** One topic as the spec wants it on the cluster. */
export interface DesiredTopic {
  /** Topic name (a dead-letter companion is `<topic>.dlq`). */
  readonly name: string;
  /** Number of partitions. */
  readonly partitions: number;
  /** Replicas per partition: the topic's own, else `kafka.replicationFactor`. */
  readonly replicationFactor: number;
  /** Config key -> value exactly as Kafka prints it. */
  readonly configs: Readonly<Record<string, string>>;
  /** Delete from the cluster (owned topic the spec retires). */
  readonly deleted: boolean;
  /** The spec path that declares it, for problems. */
  readonly path: string;
}

function renderConfigs(configs: TopicSpec['configs']): Record<string, string> {
  return Object.fromEntries(
    Object.keys(configs)
      .sort()
      .map((key) => [key, renderTopicConfigValue(configs[key])]),
  );
}

/** Every owned topic, sorted by name. */
export function desiredTopics(spec: ResolvedSpec): DesiredTopic[] {
  const topics: DesiredTopic[] = [];
  for (const [name, topic] of Object.entries(spec.topics)) {
    const replicationFactor = topic.replicationFactor ?? spec.kafka.replicationFactor;
    const path = `topics.${name}`;
    topics.push({ name, partitions: topic.partitions, replicationFactor, configs: renderConfigs(topic.configs), deleted: topic.deleted, path });
    if (topic.deadLetter === false) continue;
    const companion = topic.deadLetter === true ? { configs: {} } : topic.deadLetter;
    topics.push({
      name: `${name}${DEAD_LETTER_SUFFIX}`,
      partitions: 'partitions' in companion && companion.partitions !== undefined ? companion.partitions : topic.partitions,
      replicationFactor,
      configs: renderConfigs({ ...topic.configs, ...companion.configs }),
      deleted: topic.deleted,
      path: `${path}.deadLetter`,
    });
  }
  return topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
