/**
 * Every symbol the package exports has TSDoc and every optional member an `@default` (test/package/public-api-docs.ts
 * walks the declarations with the TypeScript compiler API), and so does every field of the spec's zod schemas. Any
 * gap fails: document the symbol (what it is, units, allowed values; for an optional member what happens without it).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageProgram, publicApiDocGaps, schemaFieldDocGaps, type DocGap } from './public-api-docs';

const repo = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string }> };

/** The source module of every `exports` entry with types (`./lib/x/index.d.ts` -> `x/index.ts`). */
const entryPoints = Object.values(manifest.exports)
  .flatMap((target) => (typeof target === 'string' ? [] : [target.types]))
  .map((types) => join(repo, types.replace(/^\.\/lib\//, '').replace(/\.d\.ts$/, '.ts')));

/** The zod schemas of the spec: their field docs are what users read (bin/schema-field-docs.ts carries them into the .d.ts). */
const specDir = join(repo, 'constructs/kafka/spec');
const specFiles = readdirSync(specDir).filter((file) => file.endsWith('.ts')).map((file) => join(specDir, file));

let gaps: DocGap[];
let program: import('typescript').Program;
beforeAll(() => {
  program = packageProgram(join(repo, 'tsconfig.build.json'));
  gaps = [...publicApiDocGaps(program, entryPoints, repo), ...schemaFieldDocGaps(program, specFiles, repo)];
}, 60_000);

it('walks every entry point of the package', () => {
  expect(entryPoints.map((path) => path.slice(repo.length + 1))).toEqual(
    expect.arrayContaining(['index.ts', 'constructs/kafka/index.ts', 'constructs/aws/index.ts', 'constructs/k8s/index.ts', 'stacks/index.ts', 'charts/index.ts']),
  );
  // The program holds our sources only: what each entry point exports must still resolve to our declarations.
  const ts = require('typescript') as typeof import('typescript');
  const checker = program.getTypeChecker();
  const ours = Object.fromEntries(
    entryPoints.map((entry) => {
      const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
      const resolved = exported.map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol));
      const declaredHere = resolved.filter((symbol) => symbol.declarations?.some((d) => d.getSourceFile().fileName.startsWith(repo)));
      return [entry.slice(repo.length + 1), declaredHere.map((symbol) => symbol.name)];
    }),
  );
  expect(ours['index.ts']).toEqual(expect.arrayContaining(['validateEnvironment', 'buildClusterModel', 'EnvironmentSpec']));
  expect(ours['constructs/aws/index.ts']).toEqual(expect.arrayContaining(['KafkaNetwork', 'KafkaBrokerFleet']));
  expect(ours['charts/index.ts']).toEqual(expect.arrayContaining(['KafkaChart']));
  expect(Object.values(ours).flat().length).toBeGreaterThan(300);
});

it('finds no undocumented public symbol, spec field or optional member without @default', () => {
  expect(gaps.map((gap) => `${gap.where} ${gap.symbol}: ${gap.problem}`)).toEqual([]);
});

it('catches a planted gap', () => {
  const ts = require('typescript') as typeof import('typescript');
  const file = join(repo, 'planted.ts');
  const text = 'export interface Planted {\n  /** Documented. */\n  readonly size?: number;\n}\nexport function undocumented(): void {}\n/** Documented. */\nexport class PlantedError {\n  constructor(readonly code: number) {}\n}\n';
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
    'PlantedError.code: no TSDoc',
  ]);
  const schema = join(repo, 'planted-schema.ts');
  const schemaText = [
    "import { z } from 'zod';",
    'const optionalCount = z.number().optional();',
    'export const s = z.strictObject({',
    "  kind: z.literal('a'),",
    '  /** Documented, with its default. @default 1 */',
    '  a: z.number().default(1),',
    '  /** Documented. */',
    '  b: z.string().optional(),',
    '  c: z.string(),',
    '  /** Documented; optional through prefault. */',
    '  d: z.strictObject({}).prefault({}),',
    '  /** Documented; optional through the constant it is built from. */',
    '  e: optionalCount,',
    '  /** Documented and required. */',
    '  f: z.number(),',
    '});',
  ].join('\n');
  host.getSourceFile = (name, version) => (name === schema ? ts.createSourceFile(name, schemaText, version) : read(name, version));
  host.fileExists = ((exists) => (name: string) => name === schema || exists(name))(host.fileExists.bind(host));
  const schemaProgram = ts.createProgram([schema], options, host);
  expect(schemaFieldDocGaps(schemaProgram, [schema], repo).map((gap) => `${gap.symbol}: ${gap.problem}`)).toEqual([
    'spec field b: optional without @default',
    'spec field c: no TSDoc',
    'spec field d: optional without @default',
    'spec field e: optional without @default',
  ]);
});
