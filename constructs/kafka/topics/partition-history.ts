import type { ResolvedSpec } from '../spec/environment-spec';
import { desiredTopics } from './desired-topics';
import { parseDesiredTopicLines } from './topic-plan';

/** Where a synth output keeps the topic plan: `dist/<env>/<TOPIC_PLAN_PATH>` (the `topics.desired` plan file). */
export const TOPIC_PLAN_PATH = 'reconcile/topics.desired';

/** One topic whose partition count the spec lowers against a previous output. */
export interface PartitionDecrease {
  /** Spec path of the lowered field, e.g. `topics.orders.partitions`. */
  readonly path: string;
  /** Topic name. */
  readonly topic: string;
  /** Partitions in the previous output. */
  readonly previous: number;
  /** Partitions the spec now asks for. */
  readonly next: number;
}

/**
 * Topics whose partitions the spec lowers compared with a previous synth output (its `topics.desired`, e.g. the
 * base branch's `dist/<env>/reconcile/topics.desired`). Kafka cannot remove partitions, so such a change can never be
 * applied; catching it at review beats a refusal in the reconcile. Topics new to the spec, or deleted, are fine.
 */
export function partitionDecreases(previousTopicPlan: string, spec: ResolvedSpec): PartitionDecrease[] {
  const previous = parseDesiredTopicLines(previousTopicPlan);
  return desiredTopics(spec).flatMap((topic) => {
    const before = previous.get(topic.name);
    if (!before || before.deleted || topic.deleted || topic.partitions >= before.partitions) return [];
    return [{ path: `${topic.path}.partitions`, topic: topic.name, previous: before.partitions, next: topic.partitions }];
  });
}
