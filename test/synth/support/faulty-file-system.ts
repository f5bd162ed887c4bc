import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type OutputFileSystem, nodeFileSystem } from '../../../synth/output-fs';
import { readTree } from '../../support/temp-dirs';

/** The mutating operations of an OutputFileSystem: each call is one step a run can fail or be killed after. */
const MUTATING = ['mkdir', 'writeFile', 'writeFileDurably', 'rename', 'remove', 'copyTree'] as const;
export type StepName = (typeof MUTATING)[number];

/** Thrown by a "killed" file system: the run is dead from that step on, so no rollback of its own can run. */
export class SimulatedKill extends Error {}

export interface Fault {
  /** Index of the mutating step that fails (0-based). */
  readonly at: number;
  /** `kill`: that step and every later one throw (the process is gone); `fail`: that step throws `code` once. */
  readonly mode: 'kill' | 'fail';
  readonly code?: string;
}

/** node:fs with a step log and an optional fault. */
export function faultyFileSystem(fault?: Fault, log: StepName[] = [], overrides: Partial<OutputFileSystem> = {}): OutputFileSystem {
  const base = { ...nodeFileSystem, ...overrides };
  let dead = false;
  const wrapped: OutputFileSystem = { ...base };
  for (const name of MUTATING) {
    const operation = base[name] as (...args: unknown[]) => void;
    (wrapped as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (dead) throw new SimulatedKill('the process was killed');
      const index = log.length;
      log.push(name);
      if (fault && index === fault.at) {
        if (fault.mode === 'kill') {
          dead = true;
          throw new SimulatedKill(`killed at step ${index} (${name})`);
        }
        throw Object.assign(new Error(`${fault.code}: injected failure, ${name}`), { code: fault.code ?? 'EIO' });
      }
      operation(...args);
    };
  }
  return wrapped;
}

/** The output a reader sees: the files of cdktf.out/ and dist/ (staging folders, journal and lock excluded). */
export function outputTree(root: string): Map<string, string> {
  const tree = new Map<string, string>();
  for (const folder of ['cdktf.out', 'dist']) {
    if (!existsSync(join(root, folder))) continue;
    for (const [path, content] of readTree(join(root, folder))) tree.set(`${folder}/${path}`, content);
  }
  return tree;
}

/** Every `.synth-*` entry left anywhere below `root` (staging folders, journal, lock). */
export function synthLeftovers(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry.startsWith('.synth-')) found.push(path);
      else if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(root);
  return found;
}

export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}
