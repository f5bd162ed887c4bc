import type { ResolvedSpec } from '../spec/environment-spec';
import type { FeatureLevelsSpec } from '../spec/operations';

/**
 * Kafka's feature levels and which release supports which. Facts from Kafka's source: `MetadataVersion.java`
 * (feature level of each `metadata.version`, the latest production level of each release), the `Feature` enum and
 * `kafka-features.sh describe` of 4.0 and 4.1 (group.version 0-1, transaction.version 0-2,
 * eligible.leader.replicas.version 0-1, kraft.version 0-1). A release missing here cannot have its features
 * managed until it is added.
 */

/** `metadata.version` names and their numeric feature levels, oldest first (3.3-IV3 is the oldest KRaft 4.x reads). */
export const METADATA_VERSIONS: readonly (readonly [string, number])[] = [
  ['3.3-IV3', 7], ['3.4-IV0', 8], ['3.5-IV0', 9], ['3.5-IV1', 10], ['3.5-IV2', 11], ['3.6-IV0', 12], ['3.6-IV1', 13],
  ['3.6-IV2', 14], ['3.7-IV0', 15], ['3.7-IV1', 16], ['3.7-IV2', 17], ['3.7-IV3', 18], ['3.7-IV4', 19], ['3.8-IV0', 20],
  ['3.9-IV0', 21], ['4.0-IV0', 22], ['4.0-IV1', 23], ['4.0-IV2', 24], ['4.0-IV3', 25], ['4.1-IV0', 26], ['4.1-IV1', 27],
];

export type FeatureName = 'metadata.version' | 'kraft.version' | 'group.version' | 'transaction.version' | 'eligible.leader.replicas.version';

/** Spec field (under `kafka.features`) of each Kafka feature. */
export const FEATURE_FIELDS: Readonly<Record<FeatureName, keyof FeatureLevelsSpec>> = {
  'metadata.version': 'metadataVersion',
  'kraft.version': 'kraftVersion',
  'group.version': 'groupVersion',
  'transaction.version': 'transactionVersion',
  'eligible.leader.replicas.version': 'eligibleLeaderReplicasVersion',
};

/** The highest level of each feature a release supports (its latest production level). */
const RELEASE_SUPPORT: Readonly<Record<string, Readonly<Record<FeatureName, number>>>> = {
  '4.0': { 'metadata.version': 25, 'kraft.version': 1, 'group.version': 1, 'transaction.version': 2, 'eligible.leader.replicas.version': 1 },
  '4.1': { 'metadata.version': 27, 'kraft.version': 1, 'group.version': 1, 'transaction.version': 2, 'eligible.leader.replicas.version': 1 },
};

export function metadataVersionLevel(name: string): number | undefined {
  return METADATA_VERSIONS.find(([candidate]) => candidate === name)?.[1];
}

export function metadataVersionName(level: number): string | undefined {
  return METADATA_VERSIONS.find(([, candidate]) => candidate === level)?.[0];
}

/** `4.1.1` -> `4.1`. */
export function releaseLine(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** What release `version` supports, or undefined when the table does not know it. */
export function supportedLevels(version: string): Readonly<Record<FeatureName, number>> | undefined {
  return RELEASE_SUPPORT[releaseLine(version)];
}

export interface FeatureLevel {
  readonly feature: FeatureName;
  /** Kafka's numeric level (what `kafka-features.sh upgrade --feature name=level` takes). */
  readonly level: number;
  /** The spec field path, for messages. */
  readonly path: string;
  /** As a person writes it: `4.1-IV1` for metadata.version, the number otherwise. */
  readonly shown: string;
}

/** The levels the spec asks for, in Kafka's feature order; fields not set are not managed. Unknown names are skipped (validation reports them). */
export function desiredFeatureLevels(features: FeatureLevelsSpec): FeatureLevel[] {
  return (Object.entries(FEATURE_FIELDS) as [FeatureName, keyof FeatureLevelsSpec][]).flatMap(([feature, field]): FeatureLevel[] => {
    const value = features[field];
    if (value === undefined) return [];
    const level = typeof value === 'string' ? metadataVersionLevel(value) : value;
    return level === undefined ? [] : [{ feature, level, path: `kafka.features.${field}`, shown: String(value) }];
  });
}

/** `features.plan`: one `name=level` per managed feature, which the roller raises once every node is current. */
export function featuresPlanFile(spec: ResolvedSpec): string {
  return desiredFeatureLevels(spec.kafka.features)
    .map(({ feature, level }) => `${feature}=${level}\n`)
    .join('');
}

/** `feature-levels`: `4.1-IV1=27` lines, how the scripts compare the names `kafka-features.sh describe` prints. */
export function featureLevelsFile(): string {
  return METADATA_VERSIONS.map(([name, level]) => `${name}=${level}\n`).join('');
}
