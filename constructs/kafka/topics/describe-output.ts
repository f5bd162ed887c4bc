import type { CurrentTopic } from './topic-plan';

/**
 * Readers of what Kafka's tools print, in the formats of Kafka 4.x's TopicCommand and ConfigCommand. The reconcile
 * script reads the same output with awk; the import command (`bin/import-topics.ts`) and the tests read it here.
 */

/**
 * `kafka-topics.sh --describe`: one header line per topic,
 * `Topic: <name>\tTopicId: <id>\tPartitionCount: <n>\tReplicationFactor: <rf>\tConfigs: <k=v,...>`, then one
 * tab-indented line per partition (skipped here).
 */
export function parseTopicsDescribe(text: string): { name: string; partitions: number; replicationFactor: number }[] {
  const topics: { name: string; partitions: number; replicationFactor: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('Topic: ')) continue;
    const fields = new Map(
      line.split('\t').map((field) => {
        const colon = field.indexOf(': ');
        return colon < 0 ? [field, ''] : [field.slice(0, colon), field.slice(colon + 2)];
      }),
    );
    const partitions = Number(fields.get('PartitionCount'));
    const replicationFactor = Number(fields.get('ReplicationFactor'));
    const name = fields.get('Topic') ?? '';
    if (!name || !Number.isInteger(partitions) || !Number.isInteger(replicationFactor)) throw new Error(`unexpected kafka-topics.sh line: ${JSON.stringify(line)}`);
    topics.push({ name, partitions, replicationFactor });
  }
  return topics;
}

/**
 * `kafka-configs.sh --describe --entity-type topics`: per topic `Dynamic configs for topic <name> are:`, then
 * one `  <key>=<value> sensitive=<bool> synonyms={...}` line per per-topic config.
 */
export function parseTopicConfigsDescribe(text: string): Map<string, Record<string, string>> {
  const configs = new Map<string, Record<string, string>>();
  let topic: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    const header = /^Dynamic configs for topic (.+) are:$/.exec(line);
    if (header) {
      topic = {};
      configs.set(header[1], topic);
      continue;
    }
    const entry = /^ {2}([^=]+)=(.*) sensitive=(true|false) synonyms=\{.*\}$/.exec(line);
    if (entry && topic) topic[entry[1]] = entry[2];
  }
  return configs;
}

/** Both outputs joined: every topic with its dynamic configs. */
export function currentTopics(topicsDescribe: string, configsDescribe: string): CurrentTopic[] {
  const configs = parseTopicConfigsDescribe(configsDescribe);
  return parseTopicsDescribe(topicsDescribe).map((topic) => ({ ...topic, configs: configs.get(topic.name) ?? {} }));
}

/**
 * `kafka-configs.sh --describe` of a quota entity: `Quota configs for user-principal 'a', client-id 'b' are
 * producer_byte_rate=1048576.0, consumer_byte_rate=2.097152E7` (Java doubles); the default entity reads
 * `the default user-principal`. Returns `user|clientId` -> key -> value.
 */
export function parseQuotaDescribe(text: string): Map<string, Record<string, number>> {
  const quotas = new Map<string, Record<string, number>>();
  for (const line of text.split('\n')) {
    const match = /^Quota configs for (.+) are (.*)$/.exec(line);
    if (!match) continue;
    let user = '';
    let client = '';
    for (const part of match[1].split(', ')) {
      const named = /^(user-principal|client-id) '(.*)'$/.exec(part);
      const fallback = /^the default (user-principal|client-id)$/.exec(part);
      const kind = named?.[1] ?? fallback?.[1];
      const name = named ? named[2] : '<default>';
      if (kind === 'user-principal') user = name;
      if (kind === 'client-id') client = name;
    }
    const limits: Record<string, number> = {};
    for (const entry of match[2].split(', ')) {
      const [key, value] = entry.split('=');
      if (key && value !== undefined) limits[key] = Number(value);
    }
    quotas.set(`${user}|${client}`, limits);
  }
  return quotas;
}
