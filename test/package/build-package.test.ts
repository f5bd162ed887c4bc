/**
 * bin/build-package.ts on a small project of its own (fixtures/text-import): a module that imports a `.sh` file as
 * text compiles, and the compiled module loads that text under plain Node, which knows nothing of `.sh`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError, buildPackage, textModule } from '../../bin/build-package';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

function fixtureCopy(): string {
  const dir = makeTempDir('build-package-');
  cpSync(join(__dirname, 'fixtures/text-import'), dir, { recursive: true });
  return dir;
}

const build = (dir: string) =>
  buildPackage({ projectDir: dir, tsconfig: 'tsconfig.json', outDir: 'lib', scriptRoots: ['src'], executables: ['src/bin.js'] });

it('compiles a module importing a shell script, and Node loads the script\'s exact text from the build', () => {
  const dir = fixtureCopy();
  const files = build(dir);
  expect(files).toEqual(expect.arrayContaining(['src/greeting.js', 'src/greeting.d.ts', 'src/greeting.d.ts.map', 'src/scripts/greet.sh.js', 'src/scripts/greet.sh.d.ts']));
  expect(files).not.toContain('src/scripts/greet.sh');
  const loaded = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(join(dir, 'lib/src/greeting.js'))}).greetingScript())`], { encoding: 'utf8' });
  expect(loaded.stderr).toBe('');
  expect(loaded.stdout).toBe(readFileSync(join(dir, 'src/scripts/greet.sh'), 'utf8'));
  expect(statSync(join(dir, 'lib/src/bin.js')).mode & 0o111).not.toBe(0);
});

it('replaces the whole build, so a deleted module leaves nothing behind, and keeps it when tsc fails', () => {
  const dir = fixtureCopy();
  build(dir);
  writeFileSync(join(dir, 'lib/src/stale.js'), 'old');
  build(dir);
  expect(existsSync(join(dir, 'lib/src/stale.js'))).toBe(false);
  writeFileSync(join(dir, 'src/broken.ts'), 'export const n: number = "not a number";\n');
  expect(() => build(dir)).toThrow(BuildError);
  expect(existsSync(join(dir, 'lib/src/greeting.js'))).toBe(true);
  expect(existsSync(join(dir, 'lib.staging'))).toBe(false);
});

it('exports any text unchanged as the default export', () => {
  const text = 'a "quoted" \\ back`tick` ${x}\n\u2028';
  const module = { exports: {} as { default?: string } };
  new Function('exports', 'module', textModule(text))(module.exports, module);
  expect(module.exports.default).toBe(text);
});
