/**
 * Fault injection for synth's output transaction: a run is killed, or one file operation fails, after each step in
 * turn; what remains (after the next run's recovery, for a kill) must be the previous output or the complete new
 * one, with no staging folder, journal or lock left behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { SynthOutputError } from '../../synth/output-fs';
import { recoverOutput } from '../../synth/output-transaction';
import { synthesize } from '../../synth/synthesize';
import { aSingleZoneDevSpec, withChange } from '../fixtures/environments';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { type StepName, copyTree, faultyFileSystem, outputTree, synthLeftovers } from './support/faulty-file-system';

afterAll(removeTempDirs);

// One small environment keeps each of the many runs cheap; dist/ and cdktf.out/ are both written by it.
const before: EnvironmentSpec[] = [aSingleZoneDevSpec()];
const after: EnvironmentSpec[] = before.map((spec) => withChange(spec, (d) => (d.tags = { release: 'two' })));

const oldRoot = makeTempDir('fault-old-');
synthesize({ rootDir: oldRoot, environments: before });
const oldTree = outputTree(oldRoot);
const newRoot = makeTempDir('fault-new-');
synthesize({ rootDir: newRoot, environments: after });
const newTree = outputTree(newRoot);

// The steps of a run that replaces the old output with the new one.
const steps: StepName[] = [];
{
  const root = makeTempDir('fault-count-');
  copyTree(oldRoot, root);
  synthesize({ rootDir: root, environments: after, fileSystem: faultyFileSystem(undefined, steps) });
}
const commitPoint = steps.indexOf('writeFileDurably');
// "At step k" means steps 0..k-1 ran and step k did not: the journal's rename (right after its durable write) is the
// commit point. Every step from the journal on is tested, and a spread of the staging steps before it.
const journalRenamed = commitPoint + 1;
const stepsToTest = [...steps.keys()].filter((index) => index >= commitPoint - 1 || index % Math.ceil(commitPoint / 3) === 0);

function freshCopyOfOld(): string {
  const root = makeTempDir('fault-run-');
  copyTree(oldRoot, root);
  return root;
}

it('the two outputs differ, and a run has a commit point with renames after it', () => {
  expect(oldTree).not.toEqual(newTree);
  expect(commitPoint).toBeGreaterThan(0);
  expect(steps.slice(commitPoint)).toEqual(expect.arrayContaining(['rename']));
  console.log(`fault injection: ${steps.length} steps per run, commit point at step ${commitPoint}, ${stepsToTest.length} steps tested per mode`);
});

describe('killed at a step', () => {
  it.each(stepsToTest)('at step %i: the next run finds the previous output or the complete new one, and cleans up', (at) => {
    const root = freshCopyOfOld();
    const run = () => synthesize({ rootDir: root, environments: after, fileSystem: faultyFileSystem({ at, mode: 'kill' }) });
    // Removing what a complete commit left is best effort (the next run sweeps it), so only those steps may return.
    if (at > journalRenamed && steps[at] === 'remove') run();
    else expect(run).toThrow(/killed/);
    recoverOutput(root, [join(root, 'dist'), join(root, 'cdktf.out')]);
    expect(outputTree(root)).toEqual(at <= journalRenamed ? oldTree : newTree);
    expect(synthLeftovers(root).filter((path) => !path.endsWith('.synth-lock'))).toEqual([]);
  });

  it('the next full run takes over a killed run\'s lock and leaves nothing behind', () => {
    const root = freshCopyOfOld();
    expect(() => synthesize({ rootDir: root, environments: after, fileSystem: faultyFileSystem({ at: journalRenamed + 2, mode: 'kill' }) })).toThrow(/killed/);
    expect(synthLeftovers(root).length).toBeGreaterThan(1);
    synthesize({ rootDir: root, environments: after });
    expect(outputTree(root)).toEqual(newTree);
    expect(synthLeftovers(root)).toEqual([]);
  });
});

describe('killed for real (SIGKILL in a child process)', () => {
  const driver = join(makeTempDir('kill-driver-'), 'kill-driver.js');
  const specsFile = join(makeTempDir('kill-specs-'), 'specs.json');
  beforeAll(() => {
    buildSync({ entryPoints: [join(__dirname, 'support/kill-driver.ts')], bundle: true, platform: 'node', target: 'node20', packages: 'external', loader: { '.sh': 'text' }, outfile: driver, logLevel: 'error' });
    writeFileSync(specsFile, JSON.stringify(after));
  });

  it.each([
    ['before the journal', commitPoint, oldTree],
    ['after the journal, before the first rename', journalRenamed + 1, newTree],
    ['between the renames', journalRenamed + 3, newTree],
  ])('%s (step %i): the next run finds the previous output or the complete new one', (_, at, wanted) => {
    const root = freshCopyOfOld();
    const result = spawnSync(process.execPath, [driver, root, specsFile, String(at)], { env: { ...process.env, NODE_PATH: join(__dirname, '../../node_modules') } });
    expect(result.signal).toBe('SIGKILL');
    recoverOutput(root, [join(root, 'dist'), join(root, 'cdktf.out')]);
    expect(outputTree(root)).toEqual(wanted);
    expect(synthLeftovers(root).filter((path) => !path.endsWith('.synth-lock'))).toEqual([]);
  });
});

describe('a step fails', () => {
  it.each(stepsToTest)('at step %i: the run reports one line and leaves the previous output, or completes', (at) => {
    const root = freshCopyOfOld();
    let error: unknown;
    try {
      synthesize({ rootDir: root, environments: after, fileSystem: faultyFileSystem({ at, mode: 'fail', code: 'EIO' }) });
    } catch (caught) {
      error = caught;
    }
    if (error === undefined) {
      // Only a failure while removing what a complete commit left (journal, parked output, lock) may pass.
      expect(steps[at]).toBe('remove');
      expect(outputTree(root)).toEqual(newTree);
    } else {
      expect(error).toBeInstanceOf(SynthOutputError);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toMatch(/^cannot [a-z ]+ \/\S+: an input\/output error \(EIO\)(; the previous output was kept)?$/);
      expect(outputTree(root)).toEqual(oldTree);
    }
    // What a failure could not remove, the next run's recovery does.
    recoverOutput(root, [join(root, 'dist'), join(root, 'cdktf.out')]);
    expect(synthLeftovers(root).filter((path) => !path.endsWith('.synth-lock'))).toEqual([]);
  });
});

describe('file-system errors are one line naming the path', () => {
  it.each([
    ['EACCES', 'permission denied'],
    ['ENOSPC', 'no space left on the device'],
    ['EBUSY', 'busy (a mount point, or in use by another process)'],
    ['EXDEV', 'on another file system than its staging folder'],
  ])('%s while moving the output into place', (code, reason) => {
    const root = freshCopyOfOld();
    const firstRename = steps.indexOf('rename', commitPoint + 2);
    const run = () => synthesize({ rootDir: root, environments: after, fileSystem: faultyFileSystem({ at: firstRename, mode: 'fail', code }) });
    expect(run).toThrow(SynthOutputError);
    try {
      run();
    } catch (error) {
      expect((error as Error).message).toMatch(new RegExp(`^cannot [a-z ]+ ${root}/\\S+: ${reason.replace(/[()]/g, '\\$&')} \\(${code}\\); the previous output was kept$`));
    }
    expect(outputTree(root)).toEqual(oldTree);
  });

  it('a staging write that fails with ENOSPC names the file and keeps the previous output', () => {
    const root = freshCopyOfOld();
    const firstWrite = steps.findIndex((name, index) => name === 'writeFile' && index > 1); // after the lock
    expect(() => synthesize({ rootDir: root, environments: after, fileSystem: faultyFileSystem({ at: firstWrite, mode: 'fail', code: 'ENOSPC' }) })).toThrow(
      new RegExp(`^cannot write ${root}/\\.synth-staging-\\S+: no space left on the device \\(ENOSPC\\)$`),
    );
    expect(outputTree(root)).toEqual(oldTree);
    expect(synthLeftovers(root)).toEqual([]);
  });
});

describe('output beyond one folder', () => {
  it('CDKTF_OUTDIR on another file system (tmpfs) is replaced atomically with dist/', () => {
    const root = makeTempDir('fault-xdev-');
    const shm = makeTempDirOn('/dev/shm');
    const terraformOutDir = join(shm, 'cdktf.out');
    synthesize({ rootDir: root, environments: before, terraformOutDir });
    synthesize({ rootDir: root, environments: after, terraformOutDir });
    const tree = new Map([...outputTree(root), ...[...outputTree(shm)].filter(([path]) => path.startsWith('cdktf.out/'))]);
    expect(tree).toEqual(newTree);
    expect([...synthLeftovers(root), ...synthLeftovers(shm)]).toEqual([]);
  });

  it('a cdktf.out that is a mount point is swapped entry by entry, itself never renamed', () => {
    const root = freshCopyOfOld();
    const mount = join(root, 'cdktf.out');
    // The test machine cannot mount; a different device number for the folder is what makes it a mount point.
    const device = (path: string) => (path === mount ? 2 : 1);
    const log: StepName[] = [];
    synthesize({ rootDir: root, environments: after, fileSystem: faultyFileSystem(undefined, log, { device }) });
    expect(outputTree(root)).toEqual(newTree);
    expect(synthLeftovers(root)).toEqual([]);
    // Killed half-way through the entry swaps, the next run completes them.
    const killedRoot = freshCopyOfOld();
    const killedMount = join(killedRoot, 'cdktf.out');
    const killedDevice = (path: string) => (path === killedMount ? 2 : 1);
    const countLog: StepName[] = [];
    const probe = freshCopyOfOld();
    synthesize({ rootDir: probe, environments: after, fileSystem: faultyFileSystem(undefined, countLog, { device: (p) => (p === join(probe, 'cdktf.out') ? 2 : 1) }) });
    const renames = countLog.flatMap((name, index) => (name === 'rename' ? [index] : []));
    const middle = renames[Math.floor(renames.length / 2)];
    expect(() =>
      synthesize({ rootDir: killedRoot, environments: after, fileSystem: faultyFileSystem({ at: middle, mode: 'kill' }, [], { device: killedDevice }) }),
    ).toThrow(/killed/);
    recoverOutput(killedRoot, [join(killedRoot, 'dist'), killedMount]);
    expect(outputTree(killedRoot)).toEqual(newTree);
  });

  it('a partial run (--env) commits the same way: killed after its commit point, the next run completes it', () => {
    const qa = withChange(aSingleZoneDevSpec(), (d) => {
      d.name = 'qa';
      d.kafka.clusterId = 'lPtdYPWC2I-vrVHghXsuig';
    });
    const root = freshCopyOfOld();
    synthesize({ rootDir: root, environments: [...before, qa], only: ['qa'] });
    const withQa = outputTree(root);
    const log: StepName[] = [];
    const probe = makeTempDir('fault-probe-');
    copyTree(root, probe);
    synthesize({ rootDir: probe, environments: [...after, qa], only: ['dev'], fileSystem: faultyFileSystem(undefined, log) });
    const expected = outputTree(probe);
    expect(expected.get('dist/qa/kafka/kafka-controller-0.properties')).toBe(withQa.get('dist/qa/kafka/kafka-controller-0.properties'));
    const journal = log.indexOf('writeFileDurably');
    for (const [at, wanted] of [[journal, withQa], [journal + 3, expected]] as const) {
      const killed = makeTempDir('fault-partial-');
      copyTree(root, killed);
      expect(() => synthesize({ rootDir: killed, environments: [...after, qa], only: ['dev'], fileSystem: faultyFileSystem({ at, mode: 'kill' }) })).toThrow(/killed/);
      recoverOutput(killed, [join(killed, 'dist'), join(killed, 'cdktf.out')]);
      expect(outputTree(killed)).toEqual(wanted);
    }
  });
});

const extraDirs: string[] = [];
function makeTempDirOn(base: string): string {
  const dir = mkdtempSync(join(base, 'kafka-fault-'));
  extraDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of extraDirs) rmSync(dir, { recursive: true, force: true });
});
