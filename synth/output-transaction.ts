import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { type OutputFileSystem, SynthOutputError, describeFileError, nodeFileSystem, step } from './output-fs';

/**
 * All-or-nothing output across several folders (`cdktf.out/` and `dist/`, which may sit on different file systems).
 *
 * Each target is built in a staging folder beside it, on the same file system, so that putting it in place is a
 * rename. Once everything is staged, a journal listing every rename is written durably: that is the commit point.
 * The renames follow; if one fails, the ones done are reversed and the previous output is back. A run killed after
 * the commit point leaves the journal, and the next run finishes the renames before doing anything else, so what
 * remains is always either the previous output or the complete new one. Staging folders left by killed runs are
 * removed by the next run.
 *
 * A target that is a mount point cannot be renamed (EBUSY), so its staging folder goes inside it and its entries are
 * swapped one by one, each rename in the journal.
 */

export const STAGING_PREFIX = '.synth-staging-';
export const JOURNAL_FILE = '.synth-journal.json';
const LOCK_FILE = '.synth-lock';

export interface OutputTarget {
  /** Short name for staged paths, e.g. `dist`. */
  readonly name: string;
  /** Absolute path of the folder the target replaces. */
  readonly path: string;
}

/** One rename of the commit: `staged` becomes `target`, the old `target` is parked until the commit is done. */
interface Move {
  /** null: the target's entry has no successor and is only parked (inside mode). */
  readonly staged: string | null;
  readonly target: string;
  readonly parked: string;
}

interface Journal {
  readonly version: 1;
  readonly direction: 'forward' | 'backward';
  readonly moves: readonly Move[];
  /** Staging folders to delete once the moves are done. */
  readonly staging: readonly string[];
}

interface Staging {
  readonly target: OutputTarget;
  readonly dir: string;
  /** `sibling`: the staging folder is beside the target and the target is renamed whole. */
  readonly mode: 'sibling' | 'inside';
}

export class OutputTransaction {
  private readonly stagings = new Map<string, Staging>();
  private readonly id = randomBytes(6).toString('hex');
  private finished = false;

  constructor(
    readonly rootDir: string,
    targets: readonly OutputTarget[],
    private readonly fs: OutputFileSystem = nodeFileSystem,
  ) {
    try {
      for (const target of targets) this.stagings.set(target.name, this.prepare(target));
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  private prepare(target: OutputTarget): Staging {
    const parent = dirname(target.path);
    step('create', parent, () => this.fs.mkdir(parent));
    step('write to', parent, () => this.fs.checkWritable(parent));
    const exists = this.fs.exists(target.path);
    // Moving a folder to another parent rewrites its "..": it must be writable itself.
    if (exists) step('replace', target.path, () => this.fs.checkWritable(target.path));
    const mountPoint = exists && step('read', target.path, () => this.fs.device(target.path) !== this.fs.device(parent));
    const mode = mountPoint ? 'inside' : 'sibling';
    const dir = join(mode === 'inside' ? target.path : parent, `${STAGING_PREFIX}${this.id}-${target.name}`);
    step('create', dir, () => this.fs.mkdir(join(dir, 'new')));
    return { target, dir, mode };
  }

  /** The staged folder that becomes target `name`, or a path inside it. */
  staged(name: string, ...parts: string[]): string {
    const staging = this.stagings.get(name);
    if (!staging) throw new Error(`no output target ${name}`);
    return join(staging.dir, 'new', ...parts);
  }

  /** Writes files (path relative to `baseDir` inside target `name` → content) into its staging folder, in sorted order. */
  writeFiles(name: string, baseDir: string, files: ReadonlyMap<string, string>): void {
    for (const [relativePath, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const path = this.staged(name, baseDir, relativePath);
      step('create', dirname(path), () => this.fs.mkdir(dirname(path)));
      step('write', path, () => this.fs.writeFile(path, content));
    }
  }

  /** Puts every staged target in place, all or nothing. */
  commit(): void {
    const moves = [...this.stagings.values()].flatMap((staging) => this.movesOf(staging));
    const staging = [...this.stagings.values()].map((entry) => entry.dir);
    try {
      writeJournal(this.rootDir, { version: 1, direction: 'forward', moves, staging }, this.fs);
    } catch (error) {
      // Before the commit point: nothing of the output was touched.
      try {
        this.fs.remove(join(this.rootDir, `${JOURNAL_FILE}.tmp`));
      } catch {
        // swept by the next run
      }
      throw new SynthOutputError(`${describeFileError(error, 'write', this.rootDir).message}; the previous output was kept`, (error as SynthOutputError).code);
    }
    this.finished = true;
    try {
      for (const move of moves) forward(move, this.fs);
    } catch (error) {
      throw rollBack(this.rootDir, { version: 1, direction: 'backward', moves, staging }, error, this.fs);
    }
    finish(this.rootDir, staging, this.fs);
  }

  private movesOf(staging: Staging): Move[] {
    const { dir, target, mode } = staging;
    if (mode === 'sibling') return [{ staged: join(dir, 'new'), target: target.path, parked: join(dir, 'old') }];
    step('create', join(dir, 'old'), () => this.fs.mkdir(join(dir, 'old')));
    const fresh = this.fs.readdir(join(dir, 'new'));
    const old = this.fs.readdir(target.path).filter((entry) => !entry.startsWith(STAGING_PREFIX) && !fresh.includes(entry));
    return [
      ...fresh.map((entry) => ({ staged: join(dir, 'new', entry), target: join(target.path, entry), parked: join(dir, 'old', entry) })),
      ...old.map((entry) => ({ staged: null, target: join(target.path, entry), parked: join(dir, 'old', entry) })),
    ];
  }

  /** Removes the staging folders of a run that did not commit; the previous output was never touched. */
  discard(): void {
    if (this.finished) return;
    this.finished = true;
    for (const { dir } of this.stagings.values()) {
      try {
        this.fs.remove(dir);
      } catch {
        // Left for the next run's sweep; the output itself is untouched.
      }
    }
  }
}

function forward(move: Move, fs: OutputFileSystem): void {
  if (move.staged !== null && !fs.exists(move.staged)) return; // done before an interruption
  if (fs.exists(move.target) && !fs.exists(move.parked)) step('move away', move.target, () => fs.rename(move.target, move.parked));
  if (move.staged !== null) {
    const staged = move.staged;
    step('move into place', move.target, () => fs.rename(staged, move.target));
  }
}

function backward(move: Move, fs: OutputFileSystem): void {
  if (move.staged !== null && !fs.exists(move.staged) && fs.exists(move.target)) {
    const staged = move.staged;
    step('move back', move.target, () => fs.rename(move.target, staged));
  }
  if (fs.exists(move.parked) && !fs.exists(move.target)) step('restore', move.target, () => fs.rename(move.parked, move.target));
}

/** Reverses a failed commit; returns the error to throw (the original failure, saying whether the restore worked). */
function rollBack(rootDir: string, journal: Journal, cause: unknown, fs: OutputFileSystem): Error {
  const failure = describeFileError(cause, 'write', rootDir);
  try {
    writeJournal(rootDir, journal, fs);
    for (const move of [...journal.moves].reverse()) backward(move, fs);
    finish(rootDir, journal.staging, fs);
  } catch (error) {
    const restore = describeFileError(error, 'restore', rootDir);
    return new SynthOutputError(
      `${failure.message}; restoring the previous output failed too (${restore.message}): the next synth run finishes the restore`,
      (failure as SynthOutputError).code,
    );
  }
  return new SynthOutputError(`${failure.message}; the previous output was kept`, (failure as SynthOutputError).code);
}

function writeJournal(rootDir: string, journal: Journal, fs: OutputFileSystem): void {
  const path = join(rootDir, JOURNAL_FILE);
  const temporary = `${path}.tmp`;
  step('write', temporary, () => fs.writeFileDurably(temporary, `${JSON.stringify(journal, null, 2)}\n`));
  step('write', path, () => fs.rename(temporary, path));
}

/** The commit is complete once the journal is gone; parked old output goes after it. */
function finish(rootDir: string, staging: readonly string[], fs: OutputFileSystem): void {
  // Every move is done, so the output is complete: a journal or staging folder that cannot be removed now is only
  // clutter, which the next run's recovery removes (replaying a finished journal changes nothing).
  try {
    fs.remove(join(rootDir, JOURNAL_FILE));
    for (const dir of staging) fs.remove(dir);
  } catch {
    // see above
  }
}

/**
 * Before a run: finishes a commit a killed run left in its journal (in the direction it was going), then removes
 * staging folders of earlier runs beside and inside every target. Returns what it did, for the log.
 */
export function recoverOutput(rootDir: string, targets: readonly string[], fs: OutputFileSystem = nodeFileSystem): string[] {
  const done: string[] = [];
  const path = join(rootDir, JOURNAL_FILE);
  if (fs.exists(path)) {
    let journal: Journal;
    try {
      journal = JSON.parse(fs.readFile(path)) as Journal;
      if (journal.version !== 1 || !Array.isArray(journal.moves)) throw new Error('unknown journal format');
    } catch (error) {
      throw new SynthOutputError(`cannot read ${path} left by an interrupted synth (${error instanceof Error ? error.message : String(error)}); check the output folders and remove it`);
    }
    if (journal.direction === 'forward') for (const move of journal.moves) forward(move, fs);
    else for (const move of [...journal.moves].reverse()) backward(move, fs);
    finish(rootDir, journal.staging, fs);
    done.push(journal.direction === 'forward' ? 'completed the output of an interrupted synth run' : 'restored the output an interrupted synth run had replaced');
  }
  const temporary = `${path}.tmp`;
  if (fs.exists(temporary)) step('remove', temporary, () => fs.remove(temporary));
  const folders = new Set([rootDir, ...targets.map((target) => dirname(target)), ...targets]);
  for (const folder of folders) {
    for (const entry of step('read', folder, () => fs.readdir(folder)).filter((name) => name.startsWith(STAGING_PREFIX))) {
      step('remove', join(folder, entry), () => fs.remove(join(folder, entry)));
      done.push(`removed ${join(folder, entry)}, left by an interrupted synth run`);
    }
  }
  return done;
}

/**
 * One synth at a time per project: a second run would sweep the first one's staging folders. A lock left by a
 * killed run (its process is gone) is taken over.
 */
export function acquireLock(rootDir: string, fs: OutputFileSystem = nodeFileSystem): () => void {
  const path = join(rootDir, LOCK_FILE);
  step('create', rootDir, () => fs.mkdir(rootDir));
  if (fs.exists(path)) {
    const pid = Number(fs.readFile(path).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new SynthOutputError(`another synth (process ${pid}) is writing ${rootDir}; wait for it, or remove ${path} if that process is not synth`);
    }
  }
  step('write', path, () => fs.writeFile(path, `${process.pid}\n`));
  return () => {
    try {
      fs.remove(path);
    } catch {
      // A stale lock is taken over by the next run.
    }
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Names of the entries of a folder, or none when it does not exist. */
export function listDir(dir: string, fs: OutputFileSystem = nodeFileSystem): string[] {
  return fs.readdir(dir);
}
