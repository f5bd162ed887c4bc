import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

const repo = join(__dirname, '..', '..');
const outDir = makeTempDir('rehearse-cli-');
const build = spawnSync(join(repo, 'node_modules', '.bin', 'esbuild'), ['bin/rehearse.ts', '--bundle', '--platform=node', '--target=node20', '--packages=external', '--loader:.sh=text', '--loader:.py=text', '--log-level=warning', `--outdir=${outDir}`], {
  cwd: repo,
  encoding: 'utf8',
});

function rehearse(...args: string[]) {
  return spawnSync(process.execPath, [join(outDir, 'rehearse.js'), ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NODE_PATH: join(repo, 'node_modules') } });
}

describe('npm run rehearse: arguments', () => {
  it('builds', () => {
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  });

  it('names an unknown environment and the known ones, before starting anything', () => {
    const result = rehearse('--env', 'dev,qa');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown environment qa; known: dev, staging, prod');
    expect(result.stdout).not.toContain('emulator:');
  });

  it('rejects an unknown argument and a bad --via with the usage', () => {
    expect(rehearse('--fast').stderr).toContain('unknown argument --fast\nusage: npm run rehearse');
    const via = rehearse('--via', 'pulumi');
    expect(via.status).toBe(2);
    expect(via.stderr).toContain('--via pulumi: must be terraform or cdktf');
  });
});
