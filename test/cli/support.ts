import { cpSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliOutput } from '../../cli/errors';
import { makeTempDir } from '../support/temp-dirs';

const repo = resolve(__dirname, '../..');

/** Output captured line by line. */
export interface CapturedOutput extends CliOutput {
  readonly stdout: string[];
  readonly stderr: string[];
}

export function captureOutput(): CapturedOutput {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

/**
 * A scratch copy of the project's environments and sources (with the shared node_modules linked), so commands that
 * write — init, synth — never touch the repository.
 */
export function projectCopy(): string {
  const dir = makeTempDir('cli-project-');
  for (const entry of ['package.json', 'environments', 'constructs']) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}
