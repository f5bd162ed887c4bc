/**
 * Runs synth in a child process and SIGKILLs itself right before mutating step `at` (counted as the fault-injection
 * file system counts them): a real kill, with no catch or finally block running after it.
 * Usage: node kill-driver.js <rootDir> <specs.json> <at>
 */
import { readFileSync } from 'node:fs';
import { type OutputFileSystem, nodeFileSystem } from '../../../synth/output-fs';
import { synthesize } from '../../../synth/synthesize';

const [rootDir, specsFile, atText] = process.argv.slice(2);
const at = Number(atText);
let step = 0;
const fileSystem: OutputFileSystem = { ...nodeFileSystem };
for (const name of ['mkdir', 'writeFile', 'writeFileDurably', 'rename', 'remove', 'copyTree'] as const) {
  const operation = nodeFileSystem[name] as (...args: unknown[]) => void;
  (fileSystem as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
    if (step++ === at) process.kill(process.pid, 'SIGKILL');
    operation(...args);
  };
}
synthesize({ rootDir, environments: JSON.parse(readFileSync(specsFile, 'utf8')), fileSystem });
