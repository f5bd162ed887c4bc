import type { RiskCategory } from '../../constructs/kafka/analysis/config-change-risk';
import type { AccessChanges } from '../access-diff';
import type { KafkaChanges } from '../kafka-diff';
import type { ObjectChange } from '../kubernetes-diff';
import type { EnvironmentOutput } from '../synth-root';
import type { ResourceChange } from '../terraform/terraform-diff';

/** One thing a reviewer must not miss: what, where, why it is dangerous and what to do instead. */
export interface Danger {
  readonly category: RiskCategory;
  /** Stable id of the rule that found it. */
  readonly rule: string;
  readonly what: string;
  readonly where: string;
  readonly why: string;
  readonly instead: string;
  /** A document with the procedure, relative to the repository root. */
  readonly link?: string;
  /**
   * `notice`: worth knowing before approving, but bounded (e.g. one node at a time): listed under Notices, not
   * counted as a danger and never failing `--fail-on danger`. @default - a danger
   */
  readonly severity?: 'notice';
}

/** Everything the danger rules read about one environment. */
export interface EnvironmentDiff {
  readonly environment: string;
  readonly base?: EnvironmentOutput;
  readonly head?: EnvironmentOutput;
  readonly terraform: readonly ResourceChange[];
  readonly kubernetes: readonly ObjectChange[];
  readonly kafka: KafkaChanges;
  readonly access: AccessChanges;
}

export type DangerRule = (diff: EnvironmentDiff) => Danger[];

export const CATEGORY_ORDER: readonly RiskCategory[] = ['data-loss', 'availability', 'irreversible', 'security'];

/** `a, b and 3 more` for long lists in one line. */
export function listOf(items: readonly string[], limit = 6): string {
  if (items.length <= limit) return items.join(', ');
  return `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

export function objectName(change: ObjectChange): string {
  return `${change.kind} ${change.namespace ? `${change.namespace}/` : ''}${change.name}`;
}
