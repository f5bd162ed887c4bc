/**
 * Everything wrong with a set of environments is collected as `Problem`s and reported at once,
 * so a person fixes a spec in one pass instead of one error per run.
 */
export interface Problem {
  /** The environment the problem is in. */
  readonly environment: string;
  /** Dotted path of the offending field, e.g. `kafka.replicationFactor`. */
  readonly path: string;
  /** The value given; `undefined` when the field is missing. */
  readonly value: unknown;
  /** What is wrong or what is allowed, phrased to follow `path = value,`. */
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  const where = `${problem.environment}: ${problem.path || '(environment)'}`;
  if (problem.value === undefined) return `${where} is missing, ${problem.message}`;
  return `${where} = ${formatValue(problem.value)}, ${problem.message}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
  return String(value);
}

/** Thrown when any environment is invalid; its message lists every problem, one per line. */
export class SpecValidationError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the environment specs:\n` +
        problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n'),
    );
    this.name = 'SpecValidationError';
  }
}
