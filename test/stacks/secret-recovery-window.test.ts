import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaUserSecrets } from '../../constructs/aws/kafka-user-secrets';
import { App, TerraformStack } from '../../constructs/aws/cdktf';
import { environmentSpecSchema } from '../../constructs/kafka/spec/environment-spec';
import { PRODUCTION_SECRET_RECOVERY_WINDOW_DAYS, secretRecoveryWindowDays } from '../../constructs/kafka/spec/aws';
import { environments } from '../../environments';
import { prod } from '../../environments/prod';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

type Secrets = Record<string, { recovery_window_in_days?: number; name: string }>;

/** The user secrets of a synthesized `<env>-secrets` stack. */
function synthesizedSecrets(specs: typeof environments, stack: string): Secrets {
  const root = makeTempDir('secret-window-');
  synthesize({ rootDir: root, environments: specs, only: [stack.split('-')[0]] });
  const config = JSON.parse(readFileSync(join(root, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource: { aws_secretsmanager_secret: Secrets } };
  return config.resource.aws_secretsmanager_secret;
}

describe('Secrets Manager recovery window (re-create after destroy)', () => {
  it('deletes secrets at once outside production, so a destroyed environment can be created again', () => {
    const secrets = Object.values(synthesizedSecrets(environments, 'staging-secrets'));
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(secret.recovery_window_in_days).toBe(0);
  });

  it('keeps production secrets recoverable for 30 days by default', () => {
    const secrets = Object.values(synthesizedSecrets(environments, 'prod-secrets'));
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(secret.recovery_window_in_days).toBe(PRODUCTION_SECRET_RECOVERY_WINDOW_DAYS);
  });

  it('follows aws.secretRecoveryWindowDays when the spec sets it', () => {
    const shorter = { ...prod, aws: { ...prod.aws, secretRecoveryWindowDays: 7 } };
    const secrets = Object.values(synthesizedSecrets(environments.map((spec) => (spec.name === 'prod' ? shorter : spec)), 'prod-secrets'));
    for (const secret of secrets) expect(secret.recovery_window_in_days).toBe(7);
  });

  it('resolves the default from the tier', () => {
    expect(secretRecoveryWindowDays({}, 'dev')).toBe(0);
    expect(secretRecoveryWindowDays({}, 'staging')).toBe(0);
    expect(secretRecoveryWindowDays({}, 'production')).toBe(30);
    expect(secretRecoveryWindowDays({ secretRecoveryWindowDays: 0 }, 'production')).toBe(0);
  });

  it.each([1, 6, 31, 2.5])('rejects a window of %p days, naming the field and what is allowed', (days) => {
    const result = environmentSpecSchema.safeParse({ ...prod, aws: { ...prod.aws, secretRecoveryWindowDays: days } });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((candidate) => candidate.path.join('.') === 'aws.secretRecoveryWindowDays');
    expect(issue).toBeDefined();
    if (Number.isInteger(days)) expect(issue!.message).toMatch(/0 \(delete at once\) or 7–30/);
  });

  it('KafkaUserSecrets rejects a window Secrets Manager would refuse', () => {
    const app = new App({ outdir: makeTempDir('secret-window-app-') });
    const stack = new TerraformStack(app, 'test');
    expect(() => new KafkaUserSecrets(stack, 'secrets', { name: 'x-kafka', users: [], recoveryWindowInDays: 3 })).toThrow(
      'KafkaUserSecrets x-kafka: recoveryWindowInDays = 3, must be 0 (delete at once) or an integer 7–30',
    );
  });
});
