import { DEAD_LETTER_SUFFIX } from './desired-topics';
import { parseQuotaDescribe } from './describe-output';
import { TOPIC_CONFIGS } from './topic-configs';
import type { CurrentTopic } from './topic-plan';

/**
 * Import: the spec fragment (`topics: {...}` and `quotas: [...]`) that declares a running cluster's topics and
 * quotas as they are, so adopting the reconcile changes nothing. Companion topics `<name>.dlq` fold into their
 * topic's `deadLetter` when that reproduces them exactly. Configs are typed by Kafka's ConfigDef type (numbers for
 * INT/LONG/DOUBLE, booleans for BOOLEAN); keys Kafka's own tools manage, or unknown to Kafka 4.x, are left out with a
 * warning.
 */

type Literal = string | number | boolean;

export interface ImportResult {
  /** TypeScript object-literal text to paste into `environments/<env>.ts`. */
  readonly fragment: string;
  readonly warnings: readonly string[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : `'${name}'`;
}

function literal(value: Literal): string {
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(value);
}

function object(entries: readonly (readonly [string, string])[]): string {
  return entries.length === 0 ? '{}' : `{ ${entries.map(([name, value]) => `${key(name)}: ${value}`).join(', ')} }`;
}

function typedValue(configKey: string, value: string): Literal {
  const type = TOPIC_CONFIGS[configKey]?.type;
  if ((type === 'INT' || type === 'LONG') && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  if (type === 'DOUBLE' && Number.isFinite(Number(value))) return Number(value);
  if (type === 'BOOLEAN' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function importableConfigs(topic: CurrentTopic, warnings: string[]): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const [name, value] of Object.entries(topic.configs).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rule = TOPIC_CONFIGS[name];
    if (!rule) warnings.push(`topic ${topic.name}: ${name}=${value} is not a topic config of Kafka 4.x; left out, so the reconcile will remove it`);
    else if (rule.toolManaged) warnings.push(`topic ${topic.name}: ${name} is set (${rule.toolManaged}); left out, and the reconcile leaves it alone`);
    else configs[name] = value;
  }
  return configs;
}

const configsText = (configs: Record<string, string>) => object(Object.entries(configs).map(([name, value]) => [name, literal(typedValue(name, value))]));

/** The `topics: { ... },` fragment for `topics` (internal `__*` topics are Kafka's and left out). */
export function importTopics(topics: readonly CurrentTopic[]): ImportResult {
  const warnings: string[] = [];
  const byName = new Map(topics.filter((topic) => !topic.name.startsWith('__')).map((topic) => [topic.name, topic]));
  const configsOf = new Map([...byName.values()].map((topic) => [topic.name, importableConfigs(topic, warnings)]));
  const folded = new Set<string>();
  const lines: string[] = [];
  for (const topic of [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (folded.has(topic.name)) continue;
    const configs = configsOf.get(topic.name)!;
    const fields: [string, string][] = [
      ['partitions', String(topic.partitions)],
      ['replicationFactor', String(topic.replicationFactor)],
    ];
    if (Object.keys(configs).length > 0) fields.push(['configs', configsText(configs)]);
    const companion = byName.get(`${topic.name}${DEAD_LETTER_SUFFIX}`);
    const companionConfigs = companion ? configsOf.get(companion.name)! : undefined;
    // deadLetter copies the topic's configs and adds its own: it can only reproduce a companion holding all of them.
    if (companion && companionConfigs && companion.replicationFactor === topic.replicationFactor && Object.keys(configs).every((name) => name in companionConfigs)) {
      const own = Object.fromEntries(Object.entries(companionConfigs).filter(([name, value]) => configs[name] !== value));
      const details: [string, string][] = [];
      if (companion.partitions !== topic.partitions) details.push(['partitions', String(companion.partitions)]);
      if (Object.keys(own).length > 0) details.push(['configs', configsText(own)]);
      fields.push(['deadLetter', details.length === 0 ? 'true' : object(details)]);
      folded.add(companion.name);
    }
    lines.push(`    ${key(topic.name)}: ${object(fields)},`);
  }
  return { fragment: `  topics: {\n${lines.join('\n')}\n  },\n`, warnings };
}

/** The `quotas: [ ... ],` fragment from `kafka-configs.sh --describe --entity-type users|clients` output. */
export function importQuotas(describeOutputs: readonly string[]): ImportResult {
  const entities = new Map<string, Record<string, number>>();
  for (const text of describeOutputs) for (const [entity, limits] of parseQuotaDescribe(text)) entities.set(entity, limits);
  const lines = [...entities.keys()].sort().map((entity) => {
    const [user, clientId] = entity.split('|');
    const fields: [string, string][] = [];
    if (user) fields.push(['user', literal(user)]);
    if (clientId) fields.push(['clientId', literal(clientId)]);
    fields.push(['limits', object(Object.entries(entities.get(entity)!).map(([name, value]) => [name, String(value)]))]);
    return `    ${object(fields)},`;
  });
  return { fragment: `  quotas: [\n${lines.join('\n')}\n  ],\n`, warnings: [] };
}
