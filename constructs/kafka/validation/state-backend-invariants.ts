import type { ResolvedSpec } from '../spec/environment-spec';
import type { Problem } from './problems';

/**
 * Rules across environments about their Terraform state: a bucket lives in exactly one region, so every environment
 * storing state in it must name that one region (else `terraform init` fails for some of them on real AWS, while an
 * emulator that ignores bucket regions says nothing).
 */
export function stateBackendProblems(specs: readonly ResolvedSpec[]): Problem[] {
  const problems: Problem[] = [];
  const firstByBucket = new Map<string, ResolvedSpec>();
  for (const spec of specs) {
    const { bucket, region } = spec.terraformState;
    const first = firstByBucket.get(bucket);
    if (!first) {
      firstByBucket.set(bucket, spec);
    } else if (first.terraformState.region !== region) {
      problems.push({
        environment: spec.name,
        path: 'terraformState.region',
        value: region,
        message: `differs from ${first.name}'s ${first.terraformState.region} for the same bucket ${bucket}; a bucket lives in one region: give every environment that shares it that region`,
      });
    }
  }
  return problems;
}
