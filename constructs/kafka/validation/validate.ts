import type { z } from 'zod';
import { type EnvironmentSpec, type ResolvedSpec, environmentSpecSchema } from '../spec/environment-spec';
import { crossEnvironmentProblems, environmentInvariantProblems } from './cluster-invariants';
import { type Problem, SpecValidationError } from './problems';

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function schemaProblems(environment: string, issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = pathOf(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        environment,
        path: path ? `${path}.${key}` : key,
        value: (issue.input as Record<string, unknown> | undefined)?.[key],
        message: 'is not a known field (misspelt?)',
      }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest, i.e. the one whose first issue has the longest path.
      const best = [...issue.errors].sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0];
      if (best.length > 0 && best[0].path.length > 0) {
        return schemaProblems(environment, best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
      }
    }
    const message = issue.input === undefined && path !== '' ? requiredMessage(issue) : issue.message;
    return [{ environment, path, value: offendingValue(issue), message }];
  });
}

/** A discriminated union reports the whole object; the person needs to see the discriminator they wrote. */
function offendingValue(issue: z.core.$ZodIssue): unknown {
  const discriminator = (issue as { discriminator?: string }).discriminator;
  if (issue.code === 'invalid_union' && discriminator && typeof issue.input === 'object' && issue.input !== null) {
    return (issue.input as Record<string, unknown>)[discriminator];
  }
  return issue.input;
}

function requiredMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `required: one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  if (issue.code === 'invalid_type') return `required (${issue.expected})`;
  return `required: ${issue.message}`;
}

/**
 * Validates one environment against the schema and the cross-field rules.
 * Returns the resolved spec (defaults filled in) and every problem found.
 */
export function checkEnvironment(input: unknown, fallbackName = 'environment'): { spec?: ResolvedSpec; problems: Problem[] } {
  const name =
    typeof input === 'object' && input !== null && typeof (input as { name?: unknown }).name === 'string'
      ? (input as { name: string }).name
      : fallbackName;
  const parsed = environmentSpecSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { problems: schemaProblems(name, parsed.error.issues) };
  const problems = environmentInvariantProblems(parsed.data);
  return problems.length > 0 ? { problems } : { spec: parsed.data, problems };
}

/** Validates every environment and returns them resolved, or throws one error listing every problem of all of them. */
export function validateEnvironments(inputs: readonly EnvironmentSpec[]): ResolvedSpec[] {
  const results = inputs.map((input, index) => checkEnvironment(input, `environments[${index}]`));
  const problems = results.flatMap((result) => result.problems);
  const specs = results.flatMap((result) => (result.spec ? [result.spec] : []));
  problems.push(...crossEnvironmentProblems(specs));
  if (problems.length > 0) throw new SpecValidationError(problems);
  return specs;
}

/** Validates a single environment, throwing with every problem listed. */
export function validateEnvironment(input: EnvironmentSpec): ResolvedSpec {
  return validateEnvironments([input])[0];
}
