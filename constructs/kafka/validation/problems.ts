/**
 * Everything wrong with a set of environments is collected as `Problem`s and reported at once,
 * so a person fixes a spec in one pass instead of one error per run.
 */
export interface Problem {
  /** The environment the problem is in. */
  readonly environment: string;
  /** Dotted path of the offending field, e.g. `kafka.replicationFactor`; `''` is the spec itself. */
  readonly path: string;
  /** The value given; `undefined` when the field is missing. */
  readonly value: unknown;
  /** What is wrong or what is allowed, phrased to follow `path = value,`. */
  readonly message: string;
}

/** How a rule reports: the field's path, the value found there, what is wrong. */
export type Report = (path: string, value: unknown, message: string) => void;

/** One cross-field rule: reads what it needs of a spec and reports what is wrong; `validate.ts` isolates each one. */
export interface InvariantRule<Spec = import('../spec/environment-spec').ResolvedSpec> {
  /** Short name of the rule, e.g. `quorum-spread`; a rule that throws is reported under it. */
  readonly name: string;
  /** Reads the spec and calls `report` once per problem found; reports nothing when the spec is fine. */
  readonly check: (spec: Spec, report: Report) => void;
}

/** What messages call the root of an environment spec (a problem with an empty path). */
export const SPEC_ROOT = '(spec)';
const MAX_VALUE_LENGTH = 80;

/** The value of a field that cannot be read (a getter or proxy that throws). */
export const UNREADABLE: unique symbol = Symbol('unreadable');

/** One line per problem; never throws, whatever the value is (cyclic, BigInt, hostile `toJSON` or getters). */
export function formatProblem(problem: Problem): string {
  const where = `${oneLine(problem.environment)}: ${oneLine(problem.path) || SPEC_ROOT}`;
  const message = oneLine(problem.message);
  if (problem.value === undefined) return `${where} is missing, ${message}`;
  if (problem.value === UNREADABLE) return `${where} cannot be read, ${message}`;
  return `${where} = ${describeValue(problem.value)}, ${message}`;
}

/**
 * A short, single-line rendering of any value a user may have put into a spec. Walks the value itself instead of
 * calling JSON.stringify, so `toJSON`, cycles, BigInts and throwing getters or proxies cannot break the report.
 */
export function describeValue(value: unknown, maxLength = MAX_VALUE_LENGTH): string {
  let text: string;
  try {
    text = render(value, new Set(), 0);
  } catch {
    text = '(unreadable value)';
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
}

function render(value: unknown, seen: Set<object>, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.description === undefined ? 'Symbol()' : `Symbol(${JSON.stringify(value.description)})`;
    case 'function':
      return '(function)';
  }
  if (value === null) return 'null';
  const object = value as object;
  if (seen.has(object)) return '(cycle)';
  if (depth >= 4) return Array.isArray(object) ? '[...]' : '{...}';
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const items: string[] = [];
      for (let index = 0; index < Math.min(object.length, 20); index++) items.push(safeRender(() => object[index], seen, depth));
      if (object.length > 20) items.push('...');
      return `[${items.join(',')}]`;
    }
    const keys = Object.keys(object).slice(0, 20);
    const entries = keys.map((key) => `${JSON.stringify(key)}:${safeRender(() => (object as Record<string, unknown>)[key], seen, depth)}`);
    return `{${entries.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

function safeRender(read: () => unknown, seen: Set<object>, depth: number): string {
  try {
    return render(read(), seen, depth + 1);
  } catch {
    return '(unreadable)';
  }
}

/** Paths and names come from user keys: a newline in one must not start a fake report line. */
function oneLine(text: string): string {
  return String(text).replace(/[\r\n\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** Thrown when any environment is invalid; its message lists every problem, one per line. */
export class SpecValidationError extends Error {
  constructor(
    /** Every problem found (environment, field path, value, message), as the message lists them. */
    readonly problems: readonly Problem[],
  ) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the environment specs:\n` +
        problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n'),
    );
    this.name = 'SpecValidationError';
  }
}
