/**
 * The changed spec of the update round: what a team typically changes on a running cluster, all of which must be
 * applied in place (adds and updates) and never replace or destroy a broker, a controller or a data volume.
 */
import type { EnvironmentSpec } from '../constructs/kafka/spec/environment-spec';

/** The application user the update round adds. */
export const UPDATE_ROUND_USER = 'rehearsal-app';
/** The tag the update round adds to every resource. */
export const UPDATE_ROUND_TAG = { key: 'rehearsal-round', value: 'update' } as const;

export interface UpdateRound {
  readonly spec: EnvironmentSpec;
  /** What was changed, for the summary. */
  readonly changes: readonly string[];
}

/** One more broker per zone, a new application user, a tag change and a larger data volume. */
export function updateRoundSpec(shipped: EnvironmentSpec): UpdateRound {
  const spec = structuredClone(shipped) as EnvironmentSpec & { kafka: { brokers: { perZone: number | Record<string, number> } } };
  const changes: string[] = [];
  const perZone = spec.kafka.brokers.perZone;
  spec.kafka.brokers.perZone = typeof perZone === 'number' ? perZone + 1 : Object.fromEntries(Object.entries(perZone).map(([zone, count]) => [zone, count + 1]));
  changes.push('one more broker per zone');

  const authentication = spec.kafka.listeners?.client?.authentication ?? 'scram-sha-512';
  if (authentication !== 'none') {
    const security = (spec.security ??= {});
    const users = (security.users ??= {});
    // With SCRAM the new user gets a password AWS generates; with mutual TLS its certificate is its identity.
    users[UPDATE_ROUND_USER] = authentication === 'scram-sha-512' ? { password: 'generated' } : {};
    changes.push(`application user ${UPDATE_ROUND_USER}`);
  }

  spec.tags = { ...(spec.tags ?? {}), [UPDATE_ROUND_TAG.key]: UPDATE_ROUND_TAG.value };
  changes.push(`tag ${UPDATE_ROUND_TAG.key}=${UPDATE_ROUND_TAG.value}`);

  const storage = spec.kafka.brokers.storage;
  const larger = Math.min(65536, storage.sizeGiB + Math.max(10, Math.ceil(storage.sizeGiB / 4)));
  changes.push(`broker data volume ${storage.sizeGiB} → ${larger} GiB`);
  spec.kafka.brokers.storage = { ...storage, sizeGiB: larger };
  return { spec, changes };
}
