/**
 * Every symbol the package exports has TSDoc and every optional member an `@default` (test/package/public-api-docs.ts
 * walks the declarations with the TypeScript compiler API), and so does every field of the spec's zod schemas. The gaps that existed when the check was introduced are
 * listed in doc-gaps-baseline.txt: a gap that is not listed fails, and so does a listed one that was fixed, so the
 * list only ever shrinks. To fix one: document the symbol, then delete its line.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageProgram, publicApiDocGaps, schemaFieldDocGaps, type DocGap } from './public-api-docs';

const repo = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string }> };

/** The source module of every `exports` entry with types (`./lib/x/index.d.ts` -> `x/index.ts`). */
const entryPoints = Object.values(manifest.exports)
  .flatMap((target) => (typeof target === 'string' ? [] : [target.types]))
  .map((types) => join(repo, types.replace(/^\.\/lib\//, '').replace(/\.d\.ts$/, '.ts')));

/** The zod schemas of the spec: their field docs are what users read, and declaration emit drops them. */
const specDir = join(repo, 'constructs/kafka/spec');
const specFiles = readdirSync(specDir).filter((file) => file.endsWith('.ts')).map((file) => join(specDir, file));

/** Line numbers move with every edit; a gap is identified by file, symbol and problem. */
const key = (gap: DocGap) => `${gap.where.replace(/:\d+$/, '')} ${gap.symbol}: ${gap.problem}`;

const baseline = new Set(
  readFileSync(join(__dirname, 'doc-gaps-baseline.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#')),
);

let gaps: DocGap[];
beforeAll(() => {
  const program = packageProgram(join(repo, 'tsconfig.build.json'));
  gaps = [...publicApiDocGaps(program, entryPoints, repo), ...schemaFieldDocGaps(program, specFiles, repo)];
  // A maintainer's tool, never set in CI: UPDATE_DOC_GAPS_BASELINE=1 rewrites the baseline to today's gaps.
  if (process.env.UPDATE_DOC_GAPS_BASELINE === '1') {
    const header = readFileSync(join(__dirname, 'doc-gaps-baseline.txt'), 'utf8').split('\n').filter((line) => line.startsWith('#'));
    writeFileSync(join(__dirname, 'doc-gaps-baseline.txt'), `${[...header, ...[...new Set(gaps.map(key))].sort()].join('\n')}\n`);
    baseline.clear();
    for (const gap of gaps) baseline.add(key(gap));
  }
}, 60_000);

it('walks every entry point of the package', () => {
  expect(entryPoints.map((path) => path.slice(repo.length + 1))).toEqual(
    expect.arrayContaining(['index.ts', 'constructs/kafka/index.ts', 'constructs/aws/index.ts', 'constructs/k8s/index.ts', 'stacks/index.ts', 'charts/index.ts']),
  );
});

it('finds no undocumented public symbol and no optional member without @default beyond the baseline', () => {
  const fresh = gaps.filter((gap) => !baseline.has(key(gap))).map((gap) => `${gap.where} ${gap.symbol}: ${gap.problem}`);
  expect(fresh).toEqual([]);
});

it('lists no gap in the baseline that has been fixed (delete its line)', () => {
  const current = new Set(gaps.map(key));
  expect([...baseline].filter((line) => !current.has(line))).toEqual([]);
});

it('catches a planted gap', () => {
  const ts = require('typescript') as typeof import('typescript');
  const file = join(repo, 'planted.ts');
  const text = 'export interface Planted {\n  /** Documented. */\n  readonly size?: number;\n}\nexport function undocumented(): void {}\n';
  const options = { strict: true, noEmit: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (name === file ? ts.createSourceFile(name, text, version) : read(name, version));
  host.fileExists = ((exists) => (name: string) => name === file || exists(name))(host.fileExists.bind(host));
  const program = ts.createProgram([file], options, host);
  expect(publicApiDocGaps(program, [file], repo).map((gap) => `${gap.symbol}: ${gap.problem}`)).toEqual([
    'Planted: no TSDoc',
    'Planted.size: optional without @default',
    'undocumented: no TSDoc',
  ]);
  const schema = join(repo, 'planted-schema.ts');
  const schemaText = "import { z } from 'zod';\nexport const s = z.strictObject({\n  kind: z.literal('a'),\n  /** Documented, with its default. @default 1 */\n  a: z.number().default(1),\n  /** Documented. */\n  b: z.string().optional(),\n  c: z.string(),\n});\n";
  host.getSourceFile = (name, version) => (name === schema ? ts.createSourceFile(name, schemaText, version) : read(name, version));
  host.fileExists = ((exists) => (name: string) => name === schema || exists(name))(host.fileExists.bind(host));
  const schemaProgram = ts.createProgram([schema], options, host);
  expect(schemaFieldDocGaps(schemaProgram, [schema], repo).map((gap) => `${gap.symbol}: ${gap.problem}`)).toEqual([
    'spec field b: optional without @default',
    'spec field c: no TSDoc',
  ]);
});
