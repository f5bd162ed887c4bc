import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { UPDATE_ROUND_TAG, UPDATE_ROUND_USER, updateRoundSpec } from '../../rehearse/update-round';
import { environments } from '../../environments';

describe('the update round spec', () => {
  it.each(environments.map((spec) => [spec.name, spec] as const))('%s: one more broker per zone, a larger data volume, a tag, and still valid', (_name, shipped) => {
    const { spec, changes } = updateRoundSpec(shipped);
    const before = validateEnvironment(shipped);
    const after = validateEnvironment(spec);
    const perZone = (resolved: typeof before) => resolved.kafka.brokers.perZone as number;
    expect(perZone(after)).toBe(perZone(before) + 1);
    expect(after.kafka.brokers.storage.sizeGiB).toBeGreaterThan(before.kafka.brokers.storage.sizeGiB);
    expect(after.tags[UPDATE_ROUND_TAG.key]).toBe(UPDATE_ROUND_TAG.value);
    expect(changes).toEqual(expect.arrayContaining(['one more broker per zone', `tag ${UPDATE_ROUND_TAG.key}=${UPDATE_ROUND_TAG.value}`]));
    expect(shipped).toEqual(environments.find((candidate) => candidate.name === shipped.name)); // the shipped spec is untouched
  });

  it('adds an application user with an AWS-generated password where clients authenticate with SCRAM', () => {
    const staging = environments.find((spec) => spec.name === 'staging')!;
    const after = validateEnvironment(updateRoundSpec(staging).spec);
    expect(after.security.users[UPDATE_ROUND_USER]).toMatchObject({ password: 'generated' });
  });

  it('adds no user where the client listener has no authentication (dev)', () => {
    const dev = environments.find((spec) => spec.name === 'dev')!;
    const { spec, changes } = updateRoundSpec(dev);
    expect(validateEnvironment(spec).security.users).toEqual({});
    expect(changes.join(' ')).not.toContain(UPDATE_ROUND_USER);
  });
});
