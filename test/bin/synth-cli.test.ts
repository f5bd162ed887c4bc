/**
 * The `npm run synth` entry point end to end: bundled as in package.json, run with node, in a scratch copy so the
 * repository's own output is not touched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

const repo = resolve(__dirname, '../..');
let root: string;

beforeAll(() => {
  root = makeTempDir('synth-cli-');
  mkdirSync(join(root, '.build'));
  buildSync({
    entryPoints: [join(repo, 'bin/synth.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    loader: { '.sh': 'text' },
    outfile: join(root, '.build/synth.js'),
    logLevel: 'error',
  });
});
afterAll(removeTempDirs);

const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, '.build/synth.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(repo, 'node_modules'), CDKTF_OUTDIR: '' },
  });

it('synthesizes every environment and prints what it wrote, per environment, with timings', () => {
  const result = run();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  for (const env of ['dev', 'staging', 'prod']) {
    expect(result.stdout).toMatch(new RegExp(`^${env} \\((kubernetes|vm)\\): \\d+ stack\\(s\\) .* \\d+ ms$`, 'm'));
  }
  expect(result.stdout).toContain('  cdktf.out/stacks/prod-network/cdk.tf.json');
  expect(result.stdout).toContain('  dist/prod/kafka/kafka-controller-0.properties');
  expect(existsSync(join(root, 'dist/prod/kafka/kafka-controller-0.properties'))).toBe(true);
});

it('synthesizes a single environment with --env', () => {
  const result = run('--env', 'dev');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^dev \(kubernetes\)/m);
  expect(result.stdout).not.toMatch(/^prod /m);
});

it('exits 1 with a clear message for an unknown environment', () => {
  const result = run('--env', 'qa');
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('synth failed, nothing was written.');
  expect(result.stderr).toContain('unknown environment qa; known: dev, staging, prod');
});

it('prints one line naming the path when the output cannot be written, and keeps the previous output', () => {
  const blocker = join(root, 'blocker');
  writeFileSync(blocker, 'a file where CDKTF_OUTDIR wants a folder');
  const before = readFileSync(join(root, 'dist/prod/kafka/kafka-controller-0.properties'), 'utf8');
  // One environment is enough to reach the write: the failing path is the same for all of them, and the other two
  // would only be synthesized for nothing (~1.5 s of CPU).
  const result = spawnSync(process.execPath, [join(root, '.build/synth.js'), '--env', 'dev'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(repo, 'node_modules'), CDKTF_OUTDIR: join(blocker, 'cdktf.out') },
  });
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^synth failed: cannot [a-z ]+ ${blocker}\\S*: not a folder \\(ENOTDIR\\)`))]);
  expect(readFileSync(join(root, 'dist/prod/kafka/kafka-controller-0.properties'), 'utf8')).toBe(before);
});
