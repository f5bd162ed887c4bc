import * as fs from 'node:fs';

/**
 * The file operations synth's output transaction uses, behind one interface so fault-injection tests can fail or
 * "kill" the run after any single step. Every mutating step is one call here.
 */
export interface OutputFileSystem {
  mkdir(path: string): void;
  writeFile(path: string, content: string): void;
  /** Writes `content` durably (fsync) before returning; used for the journal. */
  writeFileDurably(path: string, content: string): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
  copyTree(from: string, to: string): void;
  exists(path: string): boolean;
  readFile(path: string): string;
  readdir(path: string): string[];
  /** Device number of the file system holding `path`. */
  device(path: string): number;
  /** Throws (EACCES, EROFS, ...) when the process may not create or rename entries in folder `path`. */
  checkWritable(path: string): void;
}

export const nodeFileSystem: OutputFileSystem = {
  mkdir: (path) => void fs.mkdirSync(path, { recursive: true }),
  writeFile: (path, content) => fs.writeFileSync(path, content),
  writeFileDurably: (path, content) => {
    const descriptor = fs.openSync(path, 'w');
    try {
      fs.writeFileSync(descriptor, content);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  },
  rename: (from, to) => fs.renameSync(from, to),
  remove: (path) => fs.rmSync(path, { recursive: true, force: true }),
  copyTree: (from, to) => fs.cpSync(from, to, { recursive: true }),
  exists: (path) => fs.existsSync(path),
  readFile: (path) => fs.readFileSync(path, 'utf8'),
  readdir: (path) => (fs.existsSync(path) ? fs.readdirSync(path).sort() : []),
  device: (path) => fs.statSync(path).dev,
  checkWritable: (path) => fs.accessSync(path, fs.constants.W_OK | fs.constants.X_OK),
};

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EBUSY: 'busy (a mount point, or in use by another process)',
  EXDEV: 'on another file system than its staging folder',
  ENOTEMPTY: 'not empty',
  ENOTDIR: 'not a folder',
  EISDIR: 'a folder',
  EMFILE: 'too many open files',
  EIO: 'an input/output error',
};

/** A file-system failure of synth, as one line naming the path: no stack trace for a full disk. */
export class SynthOutputError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SynthOutputError';
  }
}

/** `cannot <action> <path>: <reason> (<CODE>)` for a Node.js system error; other errors pass through unchanged. */
export function describeFileError(error: unknown, action: string, path: string): Error {
  if (error instanceof SynthOutputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return error instanceof Error ? error : new Error(String(error));
  const reason = REASONS[code] ?? ((error as Error).message.split(',')[0] || 'failed');
  return new SynthOutputError(`cannot ${action} ${path}: ${reason} (${code})`, code);
}

/** Runs one file step, turning a system error into a one-line SynthOutputError naming `path`. */
export function step<T>(action: string, path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw describeFileError(error, action, path);
  }
}
