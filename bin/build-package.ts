/**
 * `npm run build:package` (also run by `npm pack` through `prepack`): compiles the package with
 * tsconfig.build.json into `lib/` — JavaScript, `.d.ts` and declaration maps — and turns every shell script (and
 * Python file) the sources import as text (`import script from './scripts/x.sh'`) into a `x.sh.js` module exporting
 * that text, which Node's `require('./scripts/x.sh')` finds by its `.js` extension. Built in a staging folder and
 * moved into place, so a failed build leaves the previous `lib/` as it was and no stale file of a deleted module
 * survives.
 *
 * Two rewrites of the emitted declarations. The spec's field docs, which declaration emit drops from the types it
 * infers from zod schemas, are put back (bin/schema-field-docs.ts). And constructs/kafka/monitoring/grafana-sdk.ts takes the Grafana SDK's types
 * from its `dist/` files, because this project resolves modules the `node` (node10) way, which cannot see package
 * `exports`. Consumers on `node16`/`nodenext`/`bundler` resolution (which our own subpath exports need anyway) can
 * only see the exported subpaths, so the published `.d.ts` name those (`@grafana/grafana-foundation-sdk/dashboard`).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { withSchemaFieldDocs } from './schema-field-docs';

export interface BuildPackageOptions {
  /** The project folder (holds the tsconfig). */
  readonly projectDir: string;
  /** The build configuration, relative to projectDir. @default 'tsconfig.build.json' */
  readonly tsconfig?: string;
  /** Where the package is built, relative to projectDir. @default 'lib' */
  readonly outDir?: string;
  /** Folders (relative to projectDir) whose `.sh` and `.py` files become text modules. @default - every compiled source folder */
  readonly scriptRoots?: readonly string[];
  /** Compiled files made executable (relative to outDir). @default ['bin/kafka-infra.js'] */
  readonly executables?: readonly string[];
  /**
   * Folders (relative to projectDir) of zod schemas whose field docs are put back into the emitted declarations
   * (bin/schema-field-docs.ts). @default ['constructs/kafka/spec']
   */
  readonly schemaRoots?: readonly string[];
}

export class BuildError extends Error {}

/** Module specifiers in emitted declarations that only this project's own resolution finds, and what consumers see. */
export const DECLARATION_REWRITES: readonly (readonly [RegExp, string])[] = [
  [/(['"])@grafana\/grafana-foundation-sdk\/dist\/([a-z]+)\1/g, '$1@grafana/grafana-foundation-sdk/$2$1'],
];

function rewriteDeclarations(outDir: string): void {
  for (const file of filesEndingWith(outDir, '.d.ts')) {
    const text = readFileSync(file, 'utf8');
    const rewritten = DECLARATION_REWRITES.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

function filesEndingWith(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return filesEndingWith(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

/** The build configuration, as `tsc -p` reads it, emitting into `outDir`. */
function buildConfig(tsconfigPath: string, outDir: string): ts.ParsedCommandLine {
  const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (config.error) throw new BuildError(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfigPath), { outDir }, tsconfigPath);
}

/** Diagnostics as `tsc --pretty false` prints them, paths relative to the project folder. */
function formatHost(projectDir: string): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (name) => name, getCurrentDirectory: () => projectDir, getNewLine: () => '\n' };
}

/**
 * What `tsc -p <tsconfig> --outDir <outDir>` does, as one program in this process: type-check, then emit. The same
 * program's checker puts the schema field docs back into the declarations as they are written (no second program
 * over the spec, no second tsc process).
 */
function compile(projectDir: string, tsconfigPath: string, outDir: string, schemaSources: ReadonlySet<string>): void {
  const parsed = buildConfig(tsconfigPath, outDir);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  const fail = (diagnostics: readonly ts.Diagnostic[]) => {
    const errors = diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new BuildError(`tsc failed:\n${ts.formatDiagnostics(errors, formatHost(projectDir))}`);
  };
  fail([...parsed.errors, ...ts.getPreEmitDiagnostics(program)]);
  // Emitted declaration path -> its source, for the schema sources whose field docs go back in.
  const declarationSources = new Map<string, ts.SourceFile>();
  for (const path of schemaSources) {
    const source = program.getSourceFile(path);
    const declaration = ts.getOutputFileNames(parsed, path, false).find((name) => name.endsWith('.d.ts'));
    if (source && declaration) declarationSources.set(resolve(declaration), source);
  }
  const checker = program.getTypeChecker();
  const emitted = program.emit(undefined, (fileName, text) => {
    const source = declarationSources.get(resolve(fileName));
    mkdirSync(dirname(fileName), { recursive: true });
    writeFileSync(fileName, source ? withSchemaFieldDocs(text, source, checker) : text);
  });
  fail(emitted.diagnostics);
  if (emitted.emitSkipped) throw new BuildError('tsc emitted nothing');
}

/** The CommonJS module tsc's `import text from './x.sh'` (esModuleInterop) loads: the file's text as default export. */
export function textModule(text: string): string {
  return `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.default = ${JSON.stringify(text)};\n`;
}

/** Files the sources import as text (constructs/script-files.d.ts). */
const TEXT_FILE_SUFFIXES = ['.sh', '.py'];

const TEXT_MODULE_DECLARATION = 'declare const text: string;\nexport default text;\n';

/** Builds the package; returns the files written, relative to outDir. */
export function buildPackage(options: BuildPackageOptions): string[] {
  const projectDir = resolve(options.projectDir);
  const outDir = join(projectDir, options.outDir ?? 'lib');
  const staging = `${outDir}.staging`;
  rmSync(staging, { recursive: true, force: true });
  const tsconfig = join(projectDir, options.tsconfig ?? 'tsconfig.build.json');
  const schemaSources = (options.schemaRoots ?? ['constructs/kafka/spec'])
    .flatMap((root) => filesEndingWith(join(projectDir, root), '.ts'))
    .filter((file) => !file.endsWith('.d.ts'));
  try {
    compile(projectDir, tsconfig, staging, new Set(schemaSources));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rewriteDeclarations(staging);
  for (const root of options.scriptRoots ?? ['constructs', 'synth', 'review', 'rehearse', 'cli']) {
    for (const script of TEXT_FILE_SUFFIXES.flatMap((suffix) => filesEndingWith(join(projectDir, root), suffix))) {
      const target = join(staging, relative(projectDir, script));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(`${target}.js`, textModule(readFileSync(script, 'utf8')));
      writeFileSync(`${target}.d.ts`, TEXT_MODULE_DECLARATION);
    }
  }
  for (const executable of options.executables ?? ['bin/kafka-infra.js']) {
    const path = join(staging, executable);
    if (!existsSync(path)) throw new BuildError(`the build produced no ${executable}`);
    chmodSync(path, 0o755);
  }
  const parked = `${outDir}.previous`;
  rmSync(parked, { recursive: true, force: true });
  if (existsSync(outDir)) renameSync(outDir, parked);
  renameSync(staging, outDir);
  rmSync(parked, { recursive: true, force: true });
  return filesEndingWith(outDir, '').map((file) => relative(outDir, file)).sort();
}

if (require.main === module) {
  const started = performance.now();
  try {
    const files = buildPackage({ projectDir: resolve(__dirname, '..') });
    // stderr: `npm pack --json` prints its report on stdout after this.
    console.error(`built ${files.length} file(s) in lib/ in ${(performance.now() - started).toFixed(0)} ms`);
  } catch (error) {
    console.error(error instanceof BuildError ? error.message : String(error));
    process.exitCode = 1;
  }
}
