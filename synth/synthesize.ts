import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App as CdktfApp } from '../constructs/aws/cdktf';
import { buildClusterModel } from '../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec, ResolvedSpec } from '../constructs/kafka/spec/environment-spec';
import { OPERATIONS_STATE_FILE, parseOperationsState } from '../constructs/kafka/operations/operations-state';
import { baseProblems } from '../constructs/kafka/validation/operations-invariants';
import { SpecValidationError } from '../constructs/kafka/validation/problems';
import { validateEnvironments } from '../constructs/kafka/validation/validate';
import { partitionDecreaseProblems } from '../constructs/kafka/validation/topic-invariants';
import { TOPIC_PLAN_PATH } from '../constructs/kafka/topics/partition-history';
import { addEnvironmentStacks } from '../stacks';
import { type OutputFileSystem, SynthOutputError, nodeFileSystem, step } from './output-fs';
import { OutputTransaction, acquireLock, recoverOutput } from './output-transaction';
import { withoutCreationStacks } from './creation-stacks';
import { environmentArtifacts } from './environment-artifacts';

/** Where Terraform goes, relative to the project folder (cdktf's own layout below it). */
export const TERRAFORM_OUT = 'cdktf.out';
/** Where everything else goes: `dist/<env>/`. */
export const DIST = 'dist';

/** What to synthesize, and where. */
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
   * A previous output (a folder holding `dist/`, e.g. the deployed branch's): synth refuses topics whose partitions
   * go down against its `dist/<env>/reconcile/topics.desired`, and specs that undo what its
   * `dist/<env>/operations/state.json` committed the cluster to (no broker removed undrained, no feature level lowered).
   * @default - the partitions are not compared; the operations state is read from `rootDir` (the previous output)
   */
  readonly baseDir?: string;
  /** File operations of the output transaction (fault-injection tests replace them). @default node:fs */
  readonly fileSystem?: OutputFileSystem;
}

/** What synthesis wrote for one environment. */
export interface EnvironmentReport {
  /** The environment's name (`<env>`). */
  readonly environment: string;
  /** `kubernetes` or `vm`. */
  readonly runtime: string;
  /** Its stacks, `<env>-<part>`, each in `cdktf.out/stacks/<stack>/`. */
  readonly stacks: readonly string[];
  /** Its files, relative to `dist/<env>/`, sorted. */
  readonly files: readonly string[];
  /** Time spent on it, its share of the Terraform synthesis included. */
  readonly milliseconds: number;
}

/** `only` named an environment the project does not have, or the command line was wrong. */
export class UnknownEnvironmentError extends Error {}

/**
 * Validates every environment, then synthesizes the selected ones into staging folders and puts the result in
 * place: Terraform per stack under `cdktf.out/stacks/<env>-<part>/`, everything else under `dist/<env>/`.
 * All or nothing across both folders together (see `output-transaction.ts`): any error, or a kill at any point,
 * leaves the previous output or the complete new one, never a mix.
 */
export function synthesize(options: SynthOptions): EnvironmentReport[] {
  const specs = validateEnvironments(options.environments);
  const selected = selectEnvironments(specs, options.only);
  if (options.baseDir !== undefined) checkAgainstBase(options.baseDir, selected);
  const againstBase = selected.flatMap((spec) => {
    const file = join(options.baseDir ?? options.rootDir, DIST, spec.name, OPERATIONS_STATE_FILE);
    const base = existsSync(file) ? parseOperationsState(readFileSync(file, 'utf8')) : undefined;
    return base ? baseProblems(base, spec) : [];
  });
  if (againstBase.length > 0) throw new SpecValidationError(againstBase);
  const fs = options.fileSystem ?? nodeFileSystem;
  const rootDir = resolve(options.rootDir);
  const terraformOutDir = resolve(options.terraformOutDir ?? join(rootDir, TERRAFORM_OUT));
  const distDir = join(rootDir, DIST);
  const release = acquireLock(rootDir, fs);
  try {
    recoverOutput(rootDir, [distDir, terraformOutDir], fs);
    const output = new OutputTransaction(rootDir, [{ name: DIST, path: distDir }, { name: TERRAFORM_OUT, path: terraformOutDir }], fs);
    try {
      const reports = withoutCreationStacks(() => stageEnvironments(output, selected));
      if (options.only !== undefined) {
        keepOtherEnvironmentsFiles(output, distDir, selected, fs);
        keepOtherEnvironmentsStacks(output, terraformOutDir, specs, selected, fs);
      }
      normalizeManifest(output.staged(TERRAFORM_OUT, 'manifest.json'), fs);
      output.commit();
      return reports;
    } finally {
      output.discard();
    }
  } finally {
    release();
  }
}

/** Kafka cannot remove partitions: a spec that lowers them against the base output is refused before anything is written. */
function checkAgainstBase(baseDir: string, specs: readonly ResolvedSpec[]): void {
  const problems = specs.flatMap((spec) => {
    const plan = join(baseDir, DIST, spec.name, TOPIC_PLAN_PATH);
    return existsSync(plan) ? partitionDecreaseProblems(readFileSync(plan, 'utf8'), spec) : [];
  });
  if (problems.length > 0) throw new SpecValidationError(problems);
}

function stageEnvironments(output: OutputTransaction, selected: readonly ResolvedSpec[]): EnvironmentReport[] {
  // Stack traces in construct metadata cost time and would put this machine's paths into the output.
  const app = new CdktfApp({ outdir: output.staged(TERRAFORM_OUT), stackTraces: false });
  const built = selected.map((spec) => {
    const started = performance.now();
    const model = buildClusterModel(spec);
    const stacks = addEnvironmentStacks(app, model).map((stack) => stack.node.id);
    const files = environmentArtifacts(model);
    output.writeFiles(DIST, spec.name, files);
    return { spec, stacks, files: [...files.keys()].sort(), milliseconds: performance.now() - started };
  });
  const started = performance.now();
  step('write', output.staged(TERRAFORM_OUT), () => app.synth());
  const terraformShare = (performance.now() - started) / Math.max(1, built.length);
  return built.map(({ spec, stacks, files, milliseconds }) => ({
    environment: spec.name,
    runtime: spec.runtime.kind,
    stacks,
    files,
    milliseconds: milliseconds + terraformShare,
  }));
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

function readManifest(path: string, fs: OutputFileSystem): CdktfManifest {
  const text = step('read', path, () => fs.readFile(path));
  try {
    const manifest = JSON.parse(text) as CdktfManifest;
    if (typeof manifest.stacks !== 'object' || manifest.stacks === null) throw new Error('it has no "stacks"');
    return manifest;
  } catch (error) {
    throw new SynthOutputError(`cannot read ${path}: not a cdktf manifest (${(error as Error).message}); remove the folder and rerun`);
  }
}

/** One formatting for cdktf's manifest, whether it was written by cdktf or merged by a partial run. */
function normalizeManifest(path: string, fs: OutputFileSystem): void {
  const manifest = readManifest(path, fs);
  manifest.stacks = Object.fromEntries(Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b)));
  step('write', path, () => fs.writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`));
}

/** A partial run replaces only the selected environments' folders of dist/: the others are copied into the staged one. */
function keepOtherEnvironmentsFiles(output: OutputTransaction, distDir: string, selected: readonly ResolvedSpec[], fs: OutputFileSystem): void {
  const replaced = new Set(selected.map((spec) => spec.name));
  for (const entry of fs.readdir(distDir).filter((name) => !replaced.has(name))) {
    step('copy', join(distDir, entry), () => fs.copyTree(join(distDir, entry), output.staged(DIST, entry)));
  }
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
  output: OutputTransaction,
  terraformOutDir: string,
  all: readonly ResolvedSpec[],
  selected: readonly ResolvedSpec[],
  fs: OutputFileSystem,
): void {
  const previousManifest = join(terraformOutDir, 'manifest.json');
  if (!fs.exists(previousManifest)) return;
  const names = all.map((spec) => spec.name);
  const replaced = new Set(selected.map((spec) => spec.name));
  const keep = (stack: string) => {
    const owner = environmentOfStack(stack, names);
    return owner !== undefined && !replaced.has(owner);
  };
  const stagedManifest = output.staged(TERRAFORM_OUT, 'manifest.json');
  const previous = readManifest(previousManifest, fs);
  const fresh = readManifest(stagedManifest, fs);
  fresh.stacks = Object.fromEntries([...Object.entries(previous.stacks).filter(([stack]) => keep(stack)), ...Object.entries(fresh.stacks)]);
  step('write', stagedManifest, () => fs.writeFile(stagedManifest, JSON.stringify(fresh)));
  for (const stack of fs.readdir(join(terraformOutDir, 'stacks')).filter(keep)) {
    const from = join(terraformOutDir, 'stacks', stack);
    step('copy', from, () => fs.copyTree(from, output.staged(TERRAFORM_OUT, 'stacks', stack)));
  }
}
