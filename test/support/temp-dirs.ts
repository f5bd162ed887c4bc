import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const created: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs()` (call it in afterAll). */
export function makeTempDir(prefix = 'kafka-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  const dirs = created.splice(0);
  if (dirs.length === 0) return;
  // coreutils' rm unlinks a large tree (the package consumer's hard-linked node_modules, ~40,000 entries) for a third
  // of the CPU that rmSync's walk in JavaScript takes (measured on 11,661 entries: 0.31 s against 0.83 s).
  const removed = spawnSync('rm', ['-rf', '--', ...dirs]);
  if (removed.status !== 0) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

/** Every file below `root` (relative path → content), for comparing whole output trees. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}
