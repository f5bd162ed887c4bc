import type { ResolvedSpec } from '../spec/environment-spec';
import { QUOTA_KEYS, type QuotaKey } from '../spec/topics';

/**
 * Client quotas as code. The reconcile owns exactly the entities the spec declares (a user, a client id, both, or
 * a default): on those it sets the declared limits and removes the quota keys no longer declared. Any other entity
 * is never touched. The reconcile script runs the same rules; a test compares the two.
 */

/** `user|clientId`, either part empty when the entity has none, `<default>` for Kafka's default entity. */
export type QuotaEntityKey = string;

/** One quota entity the spec declares and the limits it wants for it. */
export interface DesiredQuota {
  /** User principal name, or `<default>`. @default - none: the entity is not per user */
  readonly user?: string;
  /** Client id, or `<default>`. @default - none: the entity is not per client id */
  readonly clientId?: string;
  /** The declared limits by Kafka's key; a key left out is removed from the cluster. */
  readonly limits: Readonly<Partial<Record<QuotaKey, number>>>;
}

/** The `user|clientId` key of a quota entity. */
export function quotaEntityKey(quota: { user?: string; clientId?: string }): QuotaEntityKey {
  return `${quota.user ?? ''}|${quota.clientId ?? ''}`;
}

/** The spec's quotas with only the declared limits, sorted by entity key (a stable plan file). */
export function desiredQuotas(spec: ResolvedSpec): DesiredQuota[] {
  return spec.quotas
    .map((quota) => ({
      ...(quota.user !== undefined ? { user: quota.user } : {}),
      ...(quota.clientId !== undefined ? { clientId: quota.clientId } : {}),
      limits: Object.fromEntries(QUOTA_KEYS.filter((key) => quota.limits[key] !== undefined).map((key) => [key, quota.limits[key] as number])),
    }))
    .sort((a, b) => (quotaEntityKey(a) < quotaEntityKey(b) ? -1 : 1));
}

/** `quotas.entities`: the owned entities, one `user|clientId` per line. */
export function quotaEntityLines(quotas: readonly DesiredQuota[]): string[] {
  return quotas.map(quotaEntityKey);
}

/** `quotas.desired`: `user|clientId|key|value`, one declared limit per line. */
export function quotaLimitLines(quotas: readonly DesiredQuota[]): string[] {
  return quotas.flatMap((quota) =>
    QUOTA_KEYS.filter((key) => quota.limits[key] !== undefined).map((key) => `${quotaEntityKey(quota)}|${key}|${quota.limits[key]}`),
  );
}

/** The change to one entity's quotas that makes the cluster match the spec. */
export interface QuotaAlteration {
  /** The entity, `user|clientId`. */
  readonly entity: QuotaEntityKey;
  /** Quota key -> new value (`--add-config`). */
  readonly set: Readonly<Record<string, number>>;
  /** Quota keys to remove (`--delete-config`). */
  readonly delete: readonly string[];
}

/**
 * `current` maps an entity to its quotas as `kafka-configs.sh --describe` reports them (Kafka keeps quotas as
 * doubles, so 1048576 comes back as 1048576.0 and is equal).
 */
export function planQuotas(desired: readonly DesiredQuota[], current: ReadonlyMap<QuotaEntityKey, Readonly<Record<string, number>>>): QuotaAlteration[] {
  const plan: QuotaAlteration[] = [];
  for (const quota of desired) {
    const entity = quotaEntityKey(quota);
    const have = current.get(entity) ?? {};
    const set = Object.fromEntries(Object.entries(quota.limits).filter(([key, value]) => have[key] !== value)) as Record<string, number>;
    const remove = Object.keys(have)
      .filter((key) => !(key in quota.limits) && (QUOTA_KEYS as readonly string[]).includes(key))
      .sort();
    if (Object.keys(set).length > 0 || remove.length > 0) plan.push({ entity, set, delete: remove });
  }
  return plan;
}
