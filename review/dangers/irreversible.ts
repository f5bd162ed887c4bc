import { type EnvironmentOutput, type KubernetesObject, differingObjects } from '../synth-root';
import type { Danger, DangerRule } from './danger';

function parseVersion(version: string): number[] {
  return version.split('.').map(Number);
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const kafkaDowngrade: DangerRule = (diff) => {
  const { versionBefore: before, versionAfter: after } = diff.kafka;
  if (!before || !after || compareVersions(after, before) >= 0) return [];
  const [oldMajor, oldMinor] = parseVersion(before);
  const [newMajor, newMinor] = parseVersion(after);
  const minorsBack = oldMajor === newMajor ? oldMinor - newMinor : Number.POSITIVE_INFINITY;
  return [{
    category: 'irreversible',
    rule: 'kafka-downgrade',
    what: `Kafka downgraded from ${before} to ${after}${minorsBack > 1 ? ', more than one minor release back' : ''}`,
    where: `${diff.environment}: every node`,
    why: minorsBack > 1
      ? 'Kafka supports downgrading only to the previous minor release, and only while metadata.version was not raised past what it supports: older nodes cannot read newer metadata records'
      : 'the older release refuses to start if metadata.version was already raised beyond what it supports',
    instead: 'check kafka-features.sh describe first; downgrade at most one minor release at a time, and only while metadata.version is still the old release’s',
  }];
};

const FEATURE_COMMAND = /(kafka-features(\.sh)?\b.*\b(upgrade|downgrade)\b|--release-version\b|metadata\.version=|kraft\.version)/;

/** Lines of every string in the output that raise a feature level (kafka-features.sh, --release-version). */
function featureLines(output: EnvironmentOutput | undefined, objects: readonly KubernetesObject[]): Set<string> {
  const lines = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      for (const line of value.split('\n')) if (FEATURE_COMMAND.test(line)) lines.add(line.trim());
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const { body } of objects) visit(body);
  for (const text of output?.cloudInit.values() ?? []) visit(text);
  for (const node of output?.nodes.values() ?? []) for (const [key, value] of node.properties) visit(`${key}=${value}`);
  return lines;
}

const featureLevelBump: DangerRule = (diff) => {
  // Identical objects raise the same levels on both sides: only objects that differ can add a line.
  const objects = differingObjects(diff.base, diff.head);
  const before = featureLines(diff.base, objects.base);
  const added = [...featureLines(diff.head, objects.head)].filter((line) => !before.has(line)).sort();
  return added.map((line) => ({
    category: 'irreversible',
    rule: 'feature-level-bump',
    what: `a feature level is raised: ${line.length > 120 ? `${line.slice(0, 117)}...` : line}`,
    where: `${diff.environment}`,
    why: 'metadata.version cannot be lowered again once records use it, and raising kraft.version turns a static quorum into a dynamic one for good (kafka-features.sh upgrade --release-version raises both)',
    instead: 'raise metadata.version alone (kafka-features.sh upgrade --metadata <version>) by hand, only after every node runs the new release and the cluster was verified on it',
  } satisfies Danger));
};

export const IRREVERSIBLE_RULES: readonly DangerRule[] = [kafkaDowngrade, featureLevelBump];
