/**
 * Property: every generated invalid spec is rejected, with every problem naming its field, and nothing crashes,
 * prints a stack trace, writes a file or silently accepts. 5,000 specs from a fixed seed: fixtures and generated
 * valid specs, each with one to three mutations (another type, a hostile string or number, an unknown key, a missing
 * field, or one of issue 11's known bad values). A failure prints the shrunk spec and its mutations.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { SPEC_ROOT, formatProblem } from '../../constructs/kafka/validation/problems';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { type AppliedMutation, invalidSpec } from './mutations';
import { printSpec } from './print-spec';
import { validSpec } from './valid-specs';

afterAll(removeTempDirs);

const RUNS = 5000;
const SEED = 1111;

/** A problem names the mutated field when its path is that field, inside it, or (for a whole section) around it. */
function names(problemPath: string, mutation: AppliedMutation): boolean {
  if (problemPath === mutation.path) return true;
  const inside = (outer: string, inner: string) => outer !== '' && (inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`));
  return inside(mutation.path, problemPath) || inside(problemPath, mutation.path);
}

/** A broken discriminator (`runtime.kind`, `...authority.mode`, an ACL's `bundle`) hides which fields its object may have. */
const DISCRIMINATOR = /\.(kind|mode|bundle)$/;

function independent(mutation: AppliedMutation, all: readonly AppliedMutation[]): boolean {
  return all.every((other) => {
    if (other === mutation) return true;
    const scope = DISCRIMINATOR.test(other.path) ? other.path.replace(DISCRIMINATOR, '') : other.path;
    return !names(scope, mutation);
  });
}

it(`rejects ${RUNS} generated invalid specs, every problem naming its field`, () => {
  const stats = { specs: 0, problems: 0, mostProblems: 0, kinds: new Map<string, number>() };
  fc.assert(
    fc.property(invalidSpec(validSpec), ({ spec, mutations }) => {
      try {
        check(spec, mutations);
      } catch (error) {
        // fast-check shrinks first: this is the smallest failing case it found.
        throw new Error(`${(error as Error).message}\nmutations: ${JSON.stringify(mutations)}\nspec: ${printSpec(spec)}`);
      }

      stats.specs++;
      stats.problems += problemCount;
      stats.mostProblems = Math.max(stats.mostProblems, problemCount);
      for (const mutation of mutations) stats.kinds.set(mutation.kind, (stats.kinds.get(mutation.kind) ?? 0) + 1);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  console.log(
    `invalid specs: ${stats.specs} generated (seed ${SEED}), all rejected; ${stats.problems} problems (at most ${stats.mostProblems} in one spec); ` +
      `mutations: ${[...stats.kinds].map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
  );
  expect(stats.specs).toBe(RUNS);
});

let problemCount = 0;
function check(spec: unknown, mutations: readonly AppliedMutation[]): void {
      const { spec: accepted, problems } = checkEnvironment(spec, 'environments[0]');
      problemCount = problems.length;
      if (accepted !== undefined || problems.length === 0) throw new Error('accepted an invalid spec');
      for (const problem of problems) {
        const line = formatProblem(problem);
        if (problem.path === '' || line.includes(`: ${SPEC_ROOT}`)) throw new Error(`a problem names no field: ${line}`);
        if (/\n|\r/.test(line)) throw new Error(`a problem spans lines: ${JSON.stringify(line)}`);
        if (/internal error|\n\s+at |TypeError|RangeError/.test(line)) throw new Error(`a rule crashed: ${line}`);
      }
      for (const mutation of mutations) {
        if ((mutation.local || mutations.length === 1) && independent(mutation, mutations) && !problems.some((problem) => names(problem.path, mutation))) {
          throw new Error(`no problem names ${mutation.path} (${mutation.kind}); got: ${problems.map(formatProblem).join(' | ')}`);
        }
      }
}

it('synth writes nothing for an invalid spec (a sample of them)', () => {
  const samples = fc.sample(invalidSpec(validSpec), { seed: SEED, numRuns: 25 });
  for (const { spec } of samples) {
    const root = makeTempDir('property-invalid-');
    expect(() => synthesize({ rootDir: root, environments: [spec] })).toThrow(/problems? in the environment specs/);
    expect(readdirSync(root)).toEqual([]);
  }
});
