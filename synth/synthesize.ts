import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App as CdktfApp } from '../constructs/aws/cdktf';
import { buildClusterModel } from '../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec, ResolvedSpec } from '../constructs/kafka/spec/environment-spec';
import { OPERATIONS_STATE_FILE, parseOperationsState } from '../constructs/kafka/operations/operations-state';
import { baseProblems } from '../constructs/kafka/validation/operations-invariants';
import { SpecValidationError } from '../constructs/kafka/validation/problems';
import { validateEnvironments } from '../constructs/kafka/validation/validate';
import { addEnvironmentStacks } from '../stacks';
import { StagedOutput, listDir } from './atomic-output';
import { environmentArtifacts } from './environment-artifacts';

export const TERRAFORM_OUT = 'cdktf.out';
export const DIST = 'dist';

export interface SynthOptions {
  /** Folder that receives `cdktf.out/` and `dist/`. */
  readonly rootDir: string;
  /** Every environment of the project (all are validated, so cross-environment rules hold). */
  readonly environments: readonly EnvironmentSpec[];
  /** Names of the environments to synthesize. @default - all */
  readonly only?: readonly string[];
  /** Where cdktf output goes; the cdktf CLI passes its own through CDKTF_OUTDIR. @default `<rootDir>/cdktf.out` */
  readonly terraformOutDir?: string;
  /**
   * Folder whose `dist/<env>/operations/state.json` is the base the specs are checked against (no broker removed
   * undrained, no feature level lowered), e.g. a checkout of the main branch's output.
   * @default `rootDir`: the previous output
   */
  readonly baseDir?: string;
}

export interface EnvironmentReport {
  readonly environment: string;
  readonly runtime: string;
  readonly stacks: readonly string[];
  readonly files: readonly string[];
  readonly milliseconds: number;
}

export class UnknownEnvironmentError extends Error {}

/**
 * Validates every environment, then synthesizes the selected ones into a staging folder and moves the result into
 * place: Terraform per stack under `cdktf.out/stacks/<env>-<part>/`, everything else under `dist/<env>/`.
 * All or nothing: any error leaves the previous output untouched.
 */
export function synthesize(options: SynthOptions): EnvironmentReport[] {
  const specs = validateEnvironments(options.environments);
  const selected = selectEnvironments(specs, options.only);
  const againstBase = selected.flatMap((spec) => {
    const file = join(options.baseDir ?? options.rootDir, DIST, spec.name, OPERATIONS_STATE_FILE);
    const base = existsSync(file) ? parseOperationsState(readFileSync(file, 'utf8')) : undefined;
    return base ? baseProblems(base, spec) : [];
  });
  if (againstBase.length > 0) throw new SpecValidationError(againstBase);
  const terraformOutDir = options.terraformOutDir ?? join(options.rootDir, TERRAFORM_OUT);
  const output = new StagedOutput(options.rootDir);
  try {
    // Stack traces in construct metadata cost time and would put this machine's paths into the output.
    const app = new CdktfApp({ outdir: output.staged(TERRAFORM_OUT), stackTraces: false });
    const built = selected.map((spec) => {
      const started = performance.now();
      const model = buildClusterModel(spec);
      const stacks = addEnvironmentStacks(app, model).map((stack) => stack.node.id);
      const files = environmentArtifacts(model);
      output.writeFiles(join(DIST, spec.name), files);
      return { spec, stacks, files: [...files.keys()].sort(), milliseconds: performance.now() - started };
    });
    const started = performance.now();
    app.synth();
    const terraformShare = (performance.now() - started) / Math.max(1, built.length);

    if (options.only === undefined) {
      output.replace(DIST);
    } else {
      for (const spec of selected) output.replace(join(DIST, spec.name));
      keepOtherEnvironmentsStacks(output, terraformOutDir, specs, selected);
    }
    normalizeManifest(output.staged(TERRAFORM_OUT, 'manifest.json'));
    output.replace(TERRAFORM_OUT, terraformOutDir);
    return built.map(({ spec, stacks, files, milliseconds }) => ({
      environment: spec.name,
      runtime: spec.runtime.kind,
      stacks,
      files,
      milliseconds: milliseconds + terraformShare,
    }));
  } finally {
    output.discard();
  }
}

function selectEnvironments(specs: readonly ResolvedSpec[], only: readonly string[] | undefined): ResolvedSpec[] {
  if (only === undefined) return [...specs];
  const known = specs.map((spec) => spec.name);
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UnknownEnvironmentError(`unknown environment ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return specs.filter((spec) => only.includes(spec.name));
}

interface CdktfManifest {
  stacks: Record<string, unknown>;
}

/** One formatting for cdktf's manifest, whether it was written by cdktf or merged by a partial run. */
function normalizeManifest(path: string): void {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as CdktfManifest;
  manifest.stacks = Object.fromEntries(Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The environment a stack belongs to: the longest environment name that prefixes `<env>-`. */
function environmentOfStack(stack: string, names: readonly string[]): string | undefined {
  return names.filter((name) => stack.startsWith(`${name}-`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * A partial run replaces only the selected environments' stacks: copy the other environments' stack folders and
 * manifest entries from the previous output into the staged one, which then replaces the whole folder at once.
 */
function keepOtherEnvironmentsStacks(
  output: StagedOutput,
  terraformOutDir: string,
  all: readonly ResolvedSpec[],
  selected: readonly ResolvedSpec[],
): void {
  const previousManifest = join(terraformOutDir, 'manifest.json');
  if (!existsSync(previousManifest)) return;
  const names = all.map((spec) => spec.name);
  const replaced = new Set(selected.map((spec) => spec.name));
  const keep = (stack: string) => {
    const owner = environmentOfStack(stack, names);
    return owner !== undefined && !replaced.has(owner);
  };
  const stagedManifest = output.staged(TERRAFORM_OUT, 'manifest.json');
  const previous = JSON.parse(readFileSync(previousManifest, 'utf8')) as CdktfManifest;
  const fresh = JSON.parse(readFileSync(stagedManifest, 'utf8')) as CdktfManifest;
  fresh.stacks = Object.fromEntries([...Object.entries(previous.stacks).filter(([stack]) => keep(stack)), ...Object.entries(fresh.stacks)]);
  writeFileSync(stagedManifest, JSON.stringify(fresh));
  for (const stack of listDir(join(terraformOutDir, 'stacks')).filter(keep)) {
    cpSync(join(terraformOutDir, 'stacks', stack), output.staged(TERRAFORM_OUT, 'stacks', stack), { recursive: true });
  }
}
