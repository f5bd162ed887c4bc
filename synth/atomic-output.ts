import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Output is built in a staging folder next to the real one (same file system, so moves are renames) and moved
 * into place only once everything was produced. A failed run discards the staging folder and leaves the previous
 * output exactly as it was.
 */
export class StagedOutput {
  readonly stagingDir: string;
  private parked = 0;

  constructor(readonly rootDir: string) {
    this.stagingDir = mkdtempSync(join(rootDir, '.synth-staging-'));
    mkdirSync(join(this.stagingDir, 'new'));
  }

  /** Path inside the staging folder. */
  staged(...parts: string[]): string {
    return join(this.stagingDir, 'new', ...parts);
  }

  /** Writes files (path relative to `baseDir` → content) into the staging folder, in sorted order. */
  writeFiles(baseDir: string, files: ReadonlyMap<string, string>): void {
    for (const [relativePath, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const target = this.staged(baseDir, relativePath);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }

  /**
   * Moves the staged `stagedPath` over `target` (absolute, or relative to rootDir); the old one is parked and
   * deleted by discard().
   */
  replace(stagedPath: string, target = join(this.rootDir, stagedPath)): void {
    this.park(target);
    const staged = this.staged(stagedPath);
    if (!existsSync(staged)) return;
    mkdirSync(dirname(target), { recursive: true });
    renameSync(staged, target);
  }

  private park(target: string): void {
    if (!existsSync(target)) return;
    const parking = join(this.stagingDir, 'old', String(this.parked++));
    mkdirSync(dirname(parking), { recursive: true });
    renameSync(target, parking);
  }

  discard(): void {
    rmSync(this.stagingDir, { recursive: true, force: true });
  }
}

/** Names of the entries of a folder, or none when it does not exist. */
export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
