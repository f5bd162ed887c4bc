import { AVAILABILITY_RULES } from './availability';
import { CATEGORY_ORDER, type Danger, type EnvironmentDiff } from './danger';
import { DATA_LOSS_RULES } from './data-loss';
import { IRREVERSIBLE_RULES } from './irreversible';
import { SECURITY_RULES } from './security';

export type { Danger, EnvironmentDiff } from './danger';

const RULES = [...DATA_LOSS_RULES, ...AVAILABILITY_RULES, ...IRREVERSIBLE_RULES, ...SECURITY_RULES];

/** Every danger of one environment's change, by category (data loss first), then rule, then where. */
export function findDangers(diff: EnvironmentDiff): Danger[] {
  const seen = new Set<string>();
  return RULES.flatMap((rule) => rule(diff))
    .filter((danger) => {
      const key = `${danger.rule}\u0000${danger.what}\u0000${danger.where}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || a.rule.localeCompare(b.rule) || a.where.localeCompare(b.where) || a.what.localeCompare(b.what));
}
