import { createdSecrets, destroyProtectedResources, liftDestroyProtection, recoverableSecrets } from '../../rehearse/data-protections';
import type { StackConfig } from '../../rehearse/emulator-gaps';
import { rehearsalOverride } from '../../rehearse/stack-override';
import { aVmStagingSpec, withChange } from '../fixtures/environments';
import { synthEnvironment } from '../aws/support';

const productionVm = withChange(aVmStagingSpec(), (draft) => {
  draft.name = 'prod';
  draft.tier = 'production';
  draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
  // Production VMs install from a mirror and get no internet egress.
  draft.runtime.artifactMirror = { bucket: 'acme-kafka-artifacts' };
  draft.aws.egress = 'none';
  draft.security = { users: { orders: { password: 'generated' } } };
});
const stacks = synthEnvironment(productionVm);
const kafka = stacks.get('prod-kafka')!.json as unknown as StackConfig;
const secrets = stacks.get('prod-secrets')!.json as unknown as StackConfig;

describe('data protections the rehearsal shows holding', () => {
  it('finds every production data volume Terraform must refuse to destroy, and nothing else', () => {
    const guarded = destroyProtectedResources(kafka);
    expect(guarded).toHaveLength(6);
    expect(guarded.every((address) => address.startsWith('aws_ebs_volume.'))).toBe(true);
  });

  it('lifts prevent_destroy for the rehearsal only, without touching the synthesized file', () => {
    const guarded = destroyProtectedResources(kafka);
    const lift = liftDestroyProtection(guarded) as { resource: { aws_ebs_volume: Record<string, { lifecycle: object }> } };
    expect(Object.keys(lift.resource.aws_ebs_volume)).toHaveLength(6);
    for (const body of Object.values(lift.resource.aws_ebs_volume)) expect(body).toEqual({ lifecycle: { prevent_destroy: false } });
    expect(destroyProtectedResources(kafka)).toEqual(guarded);
    // The ordinary override lifts nothing: only the destroy step adds the lift.
    expect(JSON.stringify(rehearsalOverride(kafka, 'http://127.0.0.1:1'))).not.toContain('prevent_destroy');
  });

  it('knows the production secrets stay recoverable for 30 days', () => {
    expect(createdSecrets(secrets).length).toBeGreaterThan(0);
    expect(recoverableSecrets(secrets).map((secret) => secret.days)).toEqual(createdSecrets(secrets).map(() => 30));
  });
});
