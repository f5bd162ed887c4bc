import { renderEnvFile } from '../config/env-file';
import { type ClusterModel, listenerByKey } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import { clusterNodes } from '../model/topology';
import { adminConnectionFile, CONNECTION_FILE } from './admin-connection';
import { featureLevelsFile } from './feature-levels';
import { KAFKA_ADMIN_LIBRARY } from './kubernetes-roller';
import quorumScript from './scripts/controller-quorum.sh';

/**
 * Changing the KRaft controller quorum (3 -> 5 voters, 5 -> 3, replacing a voter whose disk was lost), as ordered
 * steps, each with the voters it leaves and whether a majority of them survives the loss of any one zone.
 *
 * Our clusters start with a static quorum (`controller.quorum.voters`), whose membership cannot change. Kafka 4.1
 * can turn a static quorum dynamic in place (KAFKA-16538): finalizing `kraft.version` 1 writes the voter set into the
 * metadata log; from then on voters are added (`kafka-metadata-quorum.sh add-controller`, run with the new
 * controller's config once it caught up as an observer) and removed (`remove-controller --controller-id
 * --controller-directory-id`) one at a time, with no joint consensus. So the first step is that migration, and the
 * steps are single voters; docs/operations.md has the commands.
 */

export interface Voter {
  readonly id: number;
  readonly name: string;
  readonly zone: string;
}

export interface QuorumStep {
  readonly action: 'migrate' | 'add' | 'remove';
  /** What to do, for a person. */
  readonly description: string;
  /** The voter added or removed. */
  readonly voter?: Voter;
  /** The voters once the step is done. */
  readonly voters: readonly Voter[];
  /** A majority of `voters` remains after losing any one zone. */
  readonly survivesZoneLoss: boolean;
  /** The zone whose loss would leave no majority, when there is one. */
  readonly exposedTo?: string;
}

function majorityLeftWithout(voters: readonly Voter[], zone: string): boolean {
  return voters.filter((voter) => voter.zone !== zone).length > voters.length / 2;
}

function step(action: QuorumStep['action'], description: string, voters: readonly Voter[], zones: readonly string[], voter?: Voter): QuorumStep {
  const exposedTo = zones.find((zone) => !majorityLeftWithout(voters, zone));
  return { action, description, ...(voter ? { voter } : {}), voters, survivesZoneLoss: exposedTo === undefined, ...(exposedTo ? { exposedTo } : {}) };
}

function votersOf(spec: ResolvedSpec, count: number): Voter[] {
  const resized = { ...spec, kafka: { ...spec.kafka, controllers: { ...spec.kafka.controllers, count } } };
  return clusterNodes(resized)
    .filter((node) => node.role === 'controller')
    .map((node) => ({ id: node.nodeId, name: node.name, zone: node.zone }));
}

function migrationStep(spec: ResolvedSpec, voters: readonly Voter[]): QuorumStep[] {
  if (spec.kafka.features.kraftVersion === 1) return [];
  return [step('migrate', 'finalize kraft.version 1 (kafka.features.kraftVersion: 1; the roller applies it): the static quorum becomes dynamic, irreversibly', voters, spec.aws.availabilityZones)];
}

/**
 * From the spec's controller count to `count`: voters are added in the model's placement order (round-robin over the
 * zones, so the quorum the spec will describe is the one built) and removed from the highest ordinal down.
 */
export function quorumResizeSteps(spec: ResolvedSpec, count: number): QuorumStep[] {
  const zones = spec.aws.availabilityZones;
  const from = votersOf(spec, spec.kafka.controllers.count);
  const to = votersOf(spec, count);
  const steps = migrationStep(spec, from);
  let voters = [...from];
  for (const voter of to.filter((candidate) => !from.some((existing) => existing.id === candidate.id))) {
    voters = [...voters, voter];
    steps.push(step('add', `start ${voter.name} (zone ${voter.zone}) with storage formatted --no-initial-controllers, wait until it caught up as an observer, then add it`, voters, zones, voter));
  }
  for (const voter of [...from].reverse().filter((candidate) => !to.some((kept) => kept.id === candidate.id))) {
    voters = voters.filter((existing) => existing.id !== voter.id);
    steps.push(step('remove', `remove ${voter.name} (zone ${voter.zone}) from the voters, then stop it`, voters, zones, voter));
  }
  return steps;
}

/** A voter whose disk was lost comes back with a new directory id: it is removed, then added again. */
export function replaceVoterSteps(spec: ResolvedSpec, nodeId: number): QuorumStep[] {
  const zones = spec.aws.availabilityZones;
  const voters = votersOf(spec, spec.kafka.controllers.count);
  const lost = voters.find((voter) => voter.id === nodeId);
  if (!lost) throw new Error(`node ${nodeId} is not a controller of ${spec.name} (controllers: ${voters.map((voter) => voter.id).join(', ')})`);
  const without = voters.filter((voter) => voter.id !== nodeId);
  return [
    ...migrationStep(spec, voters),
    step('remove', `remove ${lost.name} (its old directory id) from the voters`, without, zones, lost),
    step('add', `start ${lost.name} on its new, empty volume formatted --no-initial-controllers, wait until it caught up as an observer, then add it`, voters, zones, lost),
  ];
}

/**
 * Problems of a step list: the end state must survive a zone loss in production, and no step may be exposed to a
 * zone loss when its voter count could avoid it (two voters of a 4-voter quorum in one zone are unavoidable with
 * three zones; two new voters in one zone are not).
 */
export function quorumStepProblems(spec: ResolvedSpec, steps: readonly QuorumStep[]): string[] {
  const zones = spec.aws.availabilityZones;
  const problems: string[] = [];
  steps.forEach((candidate, index) => {
    if (candidate.survivesZoneLoss) return;
    const count = candidate.voters.length;
    const best = Math.ceil(count / zones.length);
    const crowded = Math.max(...zones.map((zone) => candidate.voters.filter((voter) => voter.zone === zone).length));
    if (crowded > best) problems.push(`step ${index + 1} (${candidate.action} ${candidate.voter?.name ?? ''}) puts ${crowded} of ${count} voters in zone ${candidate.exposedTo}; spread them (at most ${best} per zone)`);
  });
  const last = steps[steps.length - 1];
  if (spec.tier === 'production' && last && !last.survivesZoneLoss) problems.push(`the final quorum loses its majority with zone ${last.exposedTo}`);
  return problems;
}

export const QUORUM_SCRIPT: string = quorumScript;

export const QUORUM_FILES = {
  script: 'controller-quorum.sh',
  library: 'kafka-admin.sh',
  settings: 'quorum.env',
  zones: 'quorum.zones',
  featureLevels: 'feature-levels',
  connection: CONNECTION_FILE,
} as const;

/** The largest quorum the validation allows; `quorum.zones` names the zone of every id up to it. */
const MAX_VOTERS = 5;

/** `dist/<env>/operations/` files of `scripts/controller-quorum.sh`, which carries out the steps above one at a time. */
export function quorumFiles(model: ClusterModel): Record<string, string> {
  const { spec } = model;
  const { rolling } = spec.operations;
  const port = listenerByKey(model, 'controller').port;
  return {
    [QUORUM_FILES.script]: QUORUM_SCRIPT,
    [QUORUM_FILES.library]: KAFKA_ADMIN_LIBRARY,
    [QUORUM_FILES.settings]: renderEnvFile(`How controller-quorum.sh of cluster ${spec.kafka.clusterName} checks and waits. Generated; no secrets.`, [
      ['CATCH_UP_TIMEOUT_SECONDS', rolling.catchUpTimeoutSeconds],
      ['POLL_SECONDS', rolling.pollSeconds],
      ['QUORUM_CAUGHT_UP_MS', rolling.quorumCaughtUpMs],
      ['ZONE_COUNT', new Set(spec.aws.availabilityZones).size],
      ['CONTROLLER_BOOTSTRAP', model.controllers.map((node) => `${node.host}:${port}`).join(',')],
    ]),
    [QUORUM_FILES.zones]: votersOf(spec, Math.max(MAX_VOTERS, spec.kafka.controllers.count))
      .map((voter) => `${voter.id}|${voter.zone}\n`)
      .join(''),
    [QUORUM_FILES.featureLevels]: featureLevelsFile(),
    [QUORUM_FILES.connection]: adminConnectionFile(model),
  };
}
