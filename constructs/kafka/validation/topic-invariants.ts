import type { ResolvedSpec } from '../spec/environment-spec';
import { DEFAULT_QUOTA_ENTITY } from '../spec/topics';
import { brokersPerZone } from '../model/topology';
import { DEAD_LETTER_SUFFIX, type DesiredTopic, desiredTopics } from '../topics/desired-topics';
import { partitionDecreases } from '../topics/partition-history';
import { topicConfigProblem } from '../topics/topic-configs';
import { quotaEntityKey } from '../topics/quota-plan';
import type { Problem } from './problems';

/** Kafka's Topic.validate: at most 249 characters of ASCII letters, digits, '.', '_' and '-'; not "." or "..". */
const TOPIC_NAME_MAX = 249;
const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

/** Kafka's metric names replace '.' by '_', so `a.b` and `a_b` collide (Topic.hasCollision). */
function collisionKey(name: string): string {
  return name.replace(/\./g, '_');
}

function topicNameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'is not a valid topic name ("", "." and ".." are reserved)';
  if (name.length > TOPIC_NAME_MAX) return `is ${name.length} characters, Kafka allows at most ${TOPIC_NAME_MAX}`;
  if (!TOPIC_NAME.test(name)) return 'may only use ASCII letters, digits, ".", "_" and "-"';
  if (name.startsWith('__')) return 'starts with "__", which Kafka reserves for internal topics';
  return undefined;
}

/** Rules of `topics` and `quotas`, each reported with its field path. */
export function topicProblems(spec: ResolvedSpec): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, value: unknown, message: string) => problems.push({ environment: spec.name, path, value, message });
  const brokers = brokersPerZone(spec) * spec.aws.availabilityZones.length;
  const zones = spec.aws.availabilityZones.length;
  const production = spec.tier === 'production';

  const topics = desiredTopics(spec);
  const seen = new Map<string, DesiredTopic>();
  for (const topic of topics) {
    const namePath = topic.path;
    const nameProblem = topicNameProblem(topic.name);
    if (nameProblem) report(namePath, topic.name, nameProblem);
    const other = seen.get(collisionKey(topic.name));
    if (other) {
      const message =
        other.name === topic.name
          ? `declares topic ${topic.name} twice (a topic with deadLetter already has ${topic.name})`
          : `collides with ${other.name} (${other.path}): Kafka's metric names treat "." and "_" alike, so only one may exist`;
      report(namePath, topic.name, message);
    } else {
      seen.set(collisionKey(topic.name), topic);
    }
    if (topic.deleted) continue;

    const companion = topic.path.endsWith('.deadLetter');
    const rfPath = companion ? topic.path.replace(/\.deadLetter$/, '.replicationFactor') : `${topic.path}.replicationFactor`;
    // A topic that inherits kafka.replicationFactor is covered by the cluster's own rules, and a dead-letter companion
    // shares its topic's factor: report each declared factor once, where it is written.
    const declaresFactor = spec.topics[topic.path.replace(/^topics\./, '').replace(/\.deadLetter$/, '')]?.replicationFactor !== undefined;
    if (declaresFactor && !companion) {
      if (topic.replicationFactor > brokers) report(rfPath, topic.replicationFactor, `exceeds the ${brokers} brokers`);
      if (production && topic.replicationFactor < 3) report(rfPath, topic.replicationFactor, 'must be ≥ 3 in production (a broker restart must not leave a single copy)');
      if (production && topic.replicationFactor >= 3 && zones < 3) {
        report(rfPath, topic.replicationFactor, `production replicas must spread over 3 zones, the cluster has ${zones}`);
      }
    }
    const configsPath = `${topic.path}.configs`;
    for (const [key, value] of Object.entries(topic.configs)) {
      const problem = topicConfigProblem(key, value);
      if (problem) report(`${configsPath}.${key}`, value, problem);
    }
    const declaredIsr = topic.configs['min.insync.replicas'];
    const minIsr = declaredIsr !== undefined && /^\d+$/.test(declaredIsr) ? Number(declaredIsr) : spec.kafka.minInsyncReplicas;
    const isrPath = declaredIsr !== undefined ? `${configsPath}.min.insync.replicas` : rfPath;
    if (topic.replicationFactor === 1 && spec.tier !== 'dev') report(rfPath, 1, 'must be ≥ 2 outside dev: one lost disk would lose the topic');
    if (minIsr > topic.replicationFactor || (topic.replicationFactor > 1 && minIsr >= topic.replicationFactor)) {
      report(
        isrPath,
        declaredIsr !== undefined ? minIsr : topic.replicationFactor,
        `min.insync.replicas ${minIsr}${declaredIsr === undefined ? ' (kafka.minInsyncReplicas)' : ''} must be below the replication factor ${topic.replicationFactor}, or acks=all writes stop when one broker is down`,
      );
    }
    if (production && declaredIsr !== undefined && minIsr < 2) report(isrPath, minIsr, 'must be ≥ 2 in production (acks=all must mean two copies)');
    if (topic.name.endsWith(`${DEAD_LETTER_SUFFIX}${DEAD_LETTER_SUFFIX}`)) report(namePath, topic.name, 'is a dead-letter topic of a dead-letter topic');
  }

  const entities = new Map<string, number>();
  spec.quotas.forEach((quota, index) => {
    const path = `quotas[${index}]`;
    if (quota.user === undefined && quota.clientId === undefined) {
      report(path, quota, `must name a user, a clientId or both ("${DEFAULT_QUOTA_ENTITY}" for the defaults)`);
      return;
    }
    const key = quotaEntityKey(quota);
    const first = entities.get(key);
    if (first !== undefined) report(path, quota, `is the same entity as quotas[${first}]; declare each user/clientId combination once`);
    else entities.set(key, index);
    if (quota.user === DEFAULT_QUOTA_ENTITY && quota.clientId !== undefined && quota.clientId !== DEFAULT_QUOTA_ENTITY) {
      report(`${path}.clientId`, quota.clientId, `Kafka has no quota for a client id of the default user; use user "${DEFAULT_QUOTA_ENTITY}" with clientId "${DEFAULT_QUOTA_ENTITY}", or name the user`);
    }
    if (quota.user !== undefined && spec.kafka.listeners.client.authentication === 'none') {
      report(`${path}.user`, quota.user, 'user quotas need authenticated clients (kafka.listeners.client.authentication is "none"); use clientId');
    }
  });
  return problems;
}

/** Topics whose partitions go down against a previous output's topic plan, as problems (see `partitionDecreases`). */
export function partitionDecreaseProblems(previousTopicPlan: string, spec: ResolvedSpec): Problem[] {
  return partitionDecreases(previousTopicPlan, spec).map((decrease) => ({
    environment: spec.name,
    path: decrease.path,
    value: decrease.next,
    message: `is lower than the ${decrease.previous} partitions of topic ${decrease.topic} in the previous output; Kafka cannot remove partitions`,
  }));
}
