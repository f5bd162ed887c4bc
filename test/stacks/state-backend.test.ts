import { environments } from '../../environments';
import { checkEnvironment, validateEnvironments } from '../../constructs/kafka/validation/validate';
import { SpecValidationError } from '../../constructs/kafka/validation/problems';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { removeTempDirs } from '../support/temp-dirs';
import { synthEnvironment } from '../aws/support';

afterAll(removeTempDirs);

function problemsOfAll(...specs: Parameters<typeof validateEnvironments>[0]) {
  try {
    validateEnvironments(specs);
    return [];
  } catch (error) {
    if (error instanceof SpecValidationError) return error.problems;
    throw error;
  }
}

describe('Terraform state bucket', () => {
  it('the shipped environments that share a bucket give it one region', () => {
    const shared = new Map<string, Set<string>>();
    for (const env of environments) {
      const regions = shared.get(env.terraformState.bucket) ?? new Set<string>();
      regions.add(env.terraformState.region);
      shared.set(env.terraformState.bucket, regions);
    }
    for (const regions of shared.values()) expect(regions.size).toBe(1);
    expect(problemsOfAll(...environments)).toEqual([]);
  });

  it('rejects environments that share a bucket but declare it in different regions, naming both', () => {
    const staging = withChange(aVmStagingSpec(), (draft) => {
      draft.terraformState = { bucket: 'shared-state', region: 'eu-central-1' };
    });
    const prod = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.terraformState = { bucket: 'shared-state', region: 'eu-west-1' };
    });
    const problems = problemsOfAll(staging, prod);
    expect(problems).toEqual([
      expect.objectContaining({
        environment: 'prod',
        path: 'terraformState.region',
        value: 'eu-west-1',
        message: expect.stringMatching(/differs from staging's eu-central-1 for the same bucket shared-state/),
      }),
    ]);
  });

  it('accepts different buckets in different regions', () => {
    const staging = withChange(aVmStagingSpec(), (draft) => {
      draft.terraformState = { bucket: 'state-frankfurt', region: 'eu-central-1' };
    });
    expect(problemsOfAll(staging, aThreeZoneProdSpec())).toEqual([]);
  });

  it('requires the region to be stated', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      delete draft.terraformState.region;
    });
    expect(checkEnvironment(spec).problems).toEqual([expect.objectContaining({ path: 'terraformState.region', message: expect.stringMatching(/^required/) })]);
  });

  it('writes the stated region, not the environment region, into every backend', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.terraformState = { bucket: 'acme-kafka-terraform-state', region: 'eu-west-1' };
    });
    for (const stack of synthEnvironment(spec).values()) {
      expect(stack.json.terraform!.backend!.s3).toMatchObject({ region: 'eu-west-1' });
      expect(stack.json.terraform!.backend!.s3.kms_key_id).toBeUndefined();
    }
  });

  it('encrypts state with a customer-managed key when one is given, and rejects what is not a key ARN', () => {
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.terraformState.kmsKeyArn = kmsKeyArn;
    });
    for (const stack of synthEnvironment(spec).values()) expect(stack.json.terraform!.backend!.s3).toMatchObject({ kms_key_id: kmsKeyArn, encrypt: true });
    const wrong = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.terraformState.kmsKeyArn = 'alias/terraform';
    });
    expect(checkEnvironment(wrong).problems).toEqual([expect.objectContaining({ path: 'terraformState.kmsKeyArn', message: expect.stringMatching(/KMS key ARN/) })]);
  });
});
