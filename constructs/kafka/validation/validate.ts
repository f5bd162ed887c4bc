import type { z } from 'zod';
import { type EnvironmentSpec, type ResolvedSpec, environmentSpecSchema } from '../spec/environment-spec';
import { DERIVED_RULES, ENVIRONMENT_RULES, type InvariantRule, crossEnvironmentProblems } from './cluster-invariants';
import { partialParse, pathOf, plainCopy } from './partial-parse';
import { type Problem, SpecValidationError, UNREADABLE, describeValue } from './problems';
import { TaintedFieldRead, taintedView, unwrapTainted } from './tainted-view';

function schemaProblems(environment: string, issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = pathOf(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        environment,
        path: path ? `${path}.${key}` : key,
        value: readSafely(issue.input, key),
        message: 'is not a known field (misspelt?)',
      }));
    }
    if (issue.code === 'invalid_key') {
      const reasons = issue.issues.map((inner) => inner.message).join('; ');
      return [{ environment, path, value: issue.input, message: `is not a valid key here: it ${reasons}` }];
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest, i.e. the one whose first issue has the longest path.
      const best = [...issue.errors].sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0];
      if (best.length > 0 && best[0].path.length > 0) {
        return schemaProblems(environment, best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
      }
    }
    const message = issue.input === undefined && path !== '' ? requiredMessage(issue) : rootMessage(issue, path);
    return [{ environment, path, value: offendingValue(issue), message }];
  });
}

/** The spec itself that is no object: say what it must be, not zod's "expected object". */
function rootMessage(issue: z.core.$ZodIssue, path: string): string {
  if (path === '' && issue.code === 'invalid_type') return 'must be an environment spec object ({ name, tier, aws, runtime, kafka, terraformState, ... })';
  return issue.message;
}

function readSafely(input: unknown, key: string): unknown {
  try {
    return (input as Record<string, unknown> | undefined)?.[key];
  } catch {
    return '(unreadable)';
  }
}

/** A discriminated union reports the whole object; the person needs to see the discriminator they wrote. */
function offendingValue(issue: z.core.$ZodIssue): unknown {
  const discriminator = (issue as { discriminator?: string }).discriminator;
  if (issue.code === 'invalid_union' && discriminator && typeof issue.input === 'object' && issue.input !== null) {
    return readSafely(issue.input, discriminator);
  }
  return issue.input;
}

function requiredMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `required: one of ${issue.values.map((value) => describeValue(value)).join(', ')}`;
  if (issue.code === 'invalid_type') return `required (${issue.expected})`;
  return `required: ${issue.message}`;
}

/** The environment's name for messages: its `name` when that is a usable one, else its place in the list. */
function environmentName(input: unknown, fallbackName: string): string {
  try {
    const name = typeof input === 'object' && input !== null ? (input as { name?: unknown }).name : undefined;
    return typeof name === 'string' && /^[a-z][-a-z0-9]{0,62}$/.test(name) ? name : fallbackName;
  } catch {
    return fallbackName;
  }
}

/**
 * Own keys named `__proto__` (from JSON.parse or a computed key) are dropped by zod without a word; the schema
 * promises that an unknown key is an error, so they are found here. Walks plain data only, cycle-safe.
 */
function prototypeKeyProblems(environment: string, input: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<object>();
  // One path, grown and shrunk as the walk goes (a copy per field was most of the walk's cost).
  const path: PropertyKey[] = [];
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || path.length > 12) return;
    seen.add(value);
    let keys: string[];
    try {
      keys = Object.getOwnPropertyNames(value);
    } catch {
      return;
    }
    const isArray = Array.isArray(value);
    for (const key of keys) {
      if (key === '__proto__') {
        problems.push({ environment, path: pathOf([...path, key]), value: readSafely(value, key), message: 'is not a known field (misspelt?)' });
        continue;
      }
      if (isArray && key === 'length') continue;
      const child = readSafely(value, key);
      if (typeof child !== 'object' || child === null) continue;
      path.push(isArray && /^\d+$/.test(key) ? Number(key) : key);
      walk(child);
      path.pop();
    }
  };
  walk(input);
  return problems;
}

/** Paths of fields whose getters (or proxies) throw when read. */
function unreadableFields(input: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || path.length > 12) return;
    seen.add(value);
    let keys: string[];
    try {
      keys = Object.keys(value);
    } catch {
      found.push(path);
      return;
    }
    for (const key of keys) {
      const child = [...path, Array.isArray(value) && /^\d+$/.test(key) ? Number(key) : key];
      try {
        walk((value as Record<string, unknown>)[key], child);
      } catch {
        found.push(child);
      }
    }
  };
  walk(input, []);
  return found;
}

/**
 * Runs each rule on its own. On a spec that failed the schema, `spec` is a view in which every field that failed
 * (or was repaired to let the rest parse) cannot be read: a rule that reads one is skipped, since its verdict would
 * rest on a value the person did not write. A rule that throws anything else is a bug, reported as a problem rather
 * than a stack trace.
 */
function runRules(rules: readonly InvariantRule[], spec: ResolvedSpec, environment: string): Problem[] {
  const problems: Problem[] = [];
  for (const rule of rules) {
    const found: Problem[] = [];
    try {
      rule.check(spec, (path, value, message) => found.push({ environment, path, value: unwrapTainted(value), message }));
    } catch (error) {
      // What a rule reported before it reached a rejected field rests on valid fields only: keep it.
      if (error instanceof TaintedFieldRead) {
        problems.push(...found);
        continue;
      }
      const reason = error instanceof Error ? error.message : describeValue(error);
      problems.push({ environment, path: '', value: undefined, message: `could not be checked by the ${rule.name} rule (internal error: ${reason}); please report this` });
      continue;
    }
    problems.push(...found);
  }
  return problems;
}

/**
 * Validates one environment against the schema and the cross-field rules. Returns the resolved spec (defaults
 * filled in) and every problem found: schema problems of every field, and the cross-field rules of the fields that
 * parsed. Never throws, whatever `input` is.
 */
export function checkEnvironment(input: unknown, fallbackName = 'environment'): { spec?: ResolvedSpec; problems: Problem[] } {
  const name = environmentName(input, fallbackName);
  let parsed: ReturnType<typeof environmentSpecSchema.safeParse>;
  try {
    parsed = environmentSpecSchema.safeParse(input, { reportInput: true });
  } catch (error) {
    // Only a hostile object makes zod throw (a getter or proxy that throws): name the fields that cannot be read,
    // and check the plain data around them as usual.
    const reason = error instanceof Error ? error.message : describeValue(error);
    const unreadable = unreadableFields(input).map(pathOf);
    const own = (unreadable.length > 0 ? unreadable : ['']).map((path) => ({
      environment: name,
      path,
      value: UNREADABLE,
      message: `its getter throws (${reason}); a spec is plain data`,
    }));
    let rest: Problem[] = [];
    try {
      rest = unreadable.length > 0 ? checkEnvironment(plainCopy(input), fallbackName).problems.filter((problem) => !unreadable.includes(problem.path)) : [];
    } catch {
      // the copy is plain data; nothing left to read
    }
    // The plain copy drops own `__proto__` keys like zod does: report them from the input itself.
    return { problems: [...own, ...prototypeKeyProblems(name, input), ...rest] };
  }
  const protoProblems = prototypeKeyProblems(name, input);
  if (parsed.success && protoProblems.length === 0) {
    const problems = runRules(ENVIRONMENT_RULES, parsed.data, name);
    if (problems.length === 0) problems.push(...runRules(DERIVED_RULES, parsed.data, name));
    return problems.length > 0 ? { problems } : { spec: parsed.data, problems };
  }
  const problems = [...protoProblems, ...(parsed.success ? [] : schemaProblems(name, parsed.error.issues))];
  const partial = parsed.success ? { spec: parsed.data, tainted: [] } : partialParse(input, parsed.error.issues);
  if (partial) problems.push(...runRules(ENVIRONMENT_RULES, taintedView(partial.spec, partial.tainted), name));
  return { problems: dedupe(problems) };
}

/** A rule may restate what the schema said about the same field; one line each is enough. */
function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Validates every environment and returns them resolved, or throws one error listing every problem of all of them. */
export function validateEnvironments(inputs: readonly EnvironmentSpec[]): ResolvedSpec[] {
  if (!Array.isArray(inputs)) {
    throw new SpecValidationError([{ environment: 'environments', path: '', value: inputs, message: 'must be an array of environment specs' }]);
  }
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
