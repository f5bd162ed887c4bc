/**
 * test/package/consumer-type-check.ts on a small project of its own: an error in the project's sources or in our
 * installed package's declarations is reported, one in another package's declarations is not, and the sources are
 * emitted even so (as tsc does without noEmitOnError).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { typeCheckConsumer } from './consumer-type-check';

afterAll(removeTempDirs);

function project(files: Record<string, string>): string {
  const dir = makeTempDir('consumer-type-check-');
  const tsconfig = { compilerOptions: { strict: true, module: 'commonjs', lib: ['ES2022'], types: [], skipLibCheck: false, outDir: 'out' }, include: ['src'] };
  for (const [path, text] of Object.entries({ 'tsconfig.json': JSON.stringify(tsconfig), ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const packages = {
  'node_modules/ours/package.json': '{"name":"ours","types":"index.d.ts"}',
  'node_modules/theirs/package.json': '{"name":"theirs","types":"index.d.ts"}',
  'node_modules/theirs/index.d.ts': 'export declare const size: number;\nexport declare const broken: Missing;\n',
};

it('reports errors in the sources and our declarations, not in third-party declarations, and emits', () => {
  const dir = project({
    ...packages,
    'node_modules/ours/index.d.ts': "import { size } from 'theirs';\nexport declare const total: typeof size;\nexport declare const wrong: NotAType;\n",
    'src/app.ts': "import { total } from 'ours';\nexport const doubled: string = total * 2;\n",
  });
  const result = typeCheckConsumer(dir, 'ours');
  expect(result.diagnostics).toEqual([
    expect.stringMatching(/^node_modules\/ours\/index\.d\.ts\(3,29\): error TS2304: Cannot find name 'NotAType'\.$/),
    expect.stringMatching(/^src\/app\.ts\(2,14\): error TS2322: Type 'number' is not assignable to type 'string'\.$/),
  ]);
  expect(result.checked).toEqual(expect.arrayContaining(['node_modules/ours/index.d.ts', 'src/app.ts']));
  expect(result.checked).not.toContain('node_modules/theirs/index.d.ts');
  expect(result.loaded).toBe(1);
  expect(existsSync(join(dir, 'out/app.js'))).toBe(true);
});

it('honours overrides of the project\'s settings: skipLibCheck leaves our declarations unchecked', () => {
  const dir = project({
    ...packages,
    'node_modules/ours/index.d.ts': 'export declare const wrong: NotAType;\n',
    'src/app.ts': "import { wrong } from 'ours';\nexport const copy = wrong;\n",
  });
  expect(typeCheckConsumer(dir, 'ours').diagnostics).toHaveLength(1);
  expect(typeCheckConsumer(dir, 'ours', { skipLibCheck: true }).diagnostics).toEqual([]);
});
