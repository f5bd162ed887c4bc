/**
 * `npm run bench`: the performance targets of the project, measured on this machine and printed with their
 * budgets, so a regression shows up in review. Not a test: numbers vary with the machine and its load.
 *
 *   synth, end to end (bundle + node, all environments)   < 2000 ms  (a bare `npx cdktf synth` of one resource)
 *   synthesis with code loaded (all environments)          < 1000 ms
 *   peak memory of synth                                  < 500 MB
 *   review of all environments (every file changed)        < 1000 ms  (npm run review, end to end and in process)
 *   tsc --noEmit (cold)                                    < 10 s
 *   npm test                                               < 300 s (2 cores; the rehearsals against moto take most of it)
 *   rehearsal of each environment against moto (alone)    < 180 s
 *   reassignment plan, 3,000 partitions, 6 -> 12 brokers    < 1000 ms
 *
 * `--quick` skips the type-check, the test suite and the rehearsals.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type PartitionAssignment, planReassignment } from '../constructs/kafka/operations/reassignment-planner';
import type { EnvironmentSpec } from '../constructs/kafka/spec/environment-spec';
import { environments } from '../environments';
import { reviewSynthRoots } from '../review/report';
import { readSynthRoot } from '../review/synth-root';
import { emulatorUnavailableReason, startEmulator } from '../rehearse/emulator';
import { rehearseEnvironment } from '../rehearse/rehearsal';
import { terraformSetup } from '../rehearse/terraform';
import { synthesize } from '../synth/synthesize';

const repo = resolve(__dirname, '..');
const npx = (tool: string) => join(repo, 'node_modules', '.bin', tool);

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly budget: number;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** End to end as `npm run synth` does it, minus npm's own start-up: bundle, then run. Peak RSS from the child. */
function synthEndToEnd(scratch: string): { ms: number; peakMb: number } {
  const rssFile = join(scratch, 'rss');
  const hook = join(scratch, 'rss-hook.js');
  writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`);
  const runs = [0, 1, 2].map(() => {
    const started = performance.now();
    timed(npx('esbuild'), ['bin/synth.ts', '--bundle', '--platform=node', '--target=node20', '--packages=external', '--loader:.sh=text', '--log-level=warning', `--outfile=${join(repo, '.build/synth.js')}`]);
    timed(process.execPath, ['--require', hook, join(repo, '.build/synth.js')]);
    return performance.now() - started;
  });
  const peakKb = Number(readFileSync(rssFile, 'utf8'));
  return { ms: median(runs), peakMb: peakKb / 1024 };
}

/** Synthesis alone, code already loaded: the second of two in-process runs into a scratch folder. */
function synthInProcess(scratch: string): number {
  synthesize({ rootDir: scratch, environments });
  const runs = [0, 1, 2].map(() => {
    const started = performance.now();
    synthesize({ rootDir: scratch, environments });
    return performance.now() - started;
  });
  return median(runs);
}

/**
 * Review of every shipped environment against a head in which every environment changed (a tag everywhere, and a
 * new Kafka release on Kubernetes: every Kubernetes file, config and stack differs, so nothing is skipped as
 * identical; VM environments keep their release, which needs a tarball digest pinned in this package). End to end
 * runs the bundled CLI as `npm run review` does; in process is the second of two runs with code loaded.
 */
function reviewTimes(scratch: string): { endToEnd: number; inProcess: number } {
  const base = join(scratch, 'review-base');
  const head = join(scratch, 'review-head');
  mkdirSync(base);
  mkdirSync(head);
  synthesize({ rootDir: base, environments });
  const changed = (spec: EnvironmentSpec): EnvironmentSpec => ({
    ...spec,
    kafka: spec.runtime?.kind === 'vm' ? spec.kafka : { ...spec.kafka, version: '4.2.0' },
    tags: { ...spec.tags, bench: 'changed' },
  });
  synthesize({ rootDir: head, environments: environments.map(changed) });
  // .build/review.js is the bundle `npm run build` (run before the bench, as by `npm run bench`) made.
  const endToEnd = median([0, 1, 2].map(() => timed(process.execPath, [join(repo, '.build/review.js'), base, head, '--out', join(scratch, 'review-out')])));
  reviewSynthRoots(readSynthRoot(base), readSynthRoot(head));
  const inProcess = median([0, 1, 2].map(() => {
    const started = performance.now();
    reviewSynthRoots(readSynthRoot(base), readSynthRoot(head));
    return performance.now() - started;
  }));
  return { endToEnd, inProcess };
}

/** A scale-out from 2 to 4 brokers per zone of 3,000 RF-3 partitions: the planner's worst case grows with moves. */
function reassignmentPlan(): number {
  const brokers = (perZone: number) => ['a', 'b', 'c'].flatMap((rack, zone) => Array.from({ length: perZone }, (_, n) => ({ id: (zone + 1) * 100 + n, rack })));
  const current: PartitionAssignment[] = Array.from({ length: 3000 }, (_, p) => ({
    topic: `topic-${p % 30}`,
    partition: Math.floor(p / 30),
    replicas: [0, 1, 2].map((zone) => (zone + 1) * 100 + ((p + zone) % 2)),
  }));
  const runs = [0, 1, 2].map(() => {
    const started = performance.now();
    planReassignment(current, brokers(4));
    return performance.now() - started;
  });
  return median(runs);
}

/** Each environment rehearsed alone (own emulator), apply to destroy, as `npm run rehearse -- --via terraform` does it. */
async function rehearsalSeconds(scratch: string): Promise<Figure[]> {
  const missing = emulatorUnavailableReason();
  if (missing) {
    console.log(`rehearsal figures skipped: ${missing}`);
    return [];
  }
  const figures: Figure[] = [];
  for (const spec of environments) {
    const emulator = await startEmulator();
    try {
      const workDir = join(scratch, `rehearse-${spec.name}`);
      const started = performance.now();
      await rehearseEnvironment({ emulator, setup: terraformSetup(join(workDir, 'terraform'), emulator.endpoint), environments, environment: spec.name, workDir });
      figures.push({ name: `rehearsal of ${spec.name} against moto (apply to destroy)`, value: (performance.now() - started) / 1000, unit: 's', budget: 180 });
    } finally {
      await emulator.stop();
    }
  }
  return figures;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const scratch = mkdtempSync(join(tmpdir(), 'kafka-bench-'));
  try {
    const figures: Figure[] = [];
    const e2e = synthEndToEnd(scratch);
    figures.push({ name: 'synth end to end (bundle + run, all environments)', value: e2e.ms, unit: 'ms', budget: 2000 });
    figures.push({ name: 'synthesis with code loaded (all environments)', value: synthInProcess(scratch), unit: 'ms', budget: 1000 });
    figures.push({ name: 'peak memory of synth', value: e2e.peakMb, unit: 'MB', budget: 500 });
    const review = reviewTimes(scratch);
    figures.push({ name: 'review, end to end (all environments changed)', value: review.endToEnd, unit: 'ms', budget: 1000 });
    figures.push({ name: 'review with code loaded (all environments)', value: review.inProcess, unit: 'ms', budget: 1000 });
    figures.push({ name: 'reassignment plan, 3,000 partitions, 6 -> 12 brokers', value: reassignmentPlan(), unit: 'ms', budget: 1000 });
    if (!quick) {
      rmSync(join(repo, '.build/tsconfig.tsbuildinfo'), { force: true });
      figures.push({ name: 'tsc --noEmit (cold)', value: timed(npx('tsc'), ['--noEmit']) / 1000, unit: 's', budget: 10 });
      figures.push({ name: 'npm test (jest)', value: timed(npx('jest'), ['--silent']) / 1000, unit: 's', budget: 300 });
      figures.push(...(await rehearsalSeconds(scratch)));
    }
    const width = Math.max(...figures.map((figure) => figure.name.length));
    for (const figure of figures) {
      const verdict = figure.value <= figure.budget ? 'ok' : 'OVER BUDGET';
      console.log(`${figure.name.padEnd(width)}  ${figure.value.toFixed(figure.unit === 's' ? 1 : 0).padStart(7)} ${figure.unit.padEnd(2)}  budget ${figure.budget} ${figure.unit}  ${verdict}`);
    }
    if (figures.some((figure) => figure.value > figure.budget)) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});
