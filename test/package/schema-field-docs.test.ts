/**
 * The spec field docs reach a consumer: the declarations of constructs/kafka/spec are emitted in memory, rewritten by
 * bin/schema-field-docs.ts (what `npm run build:package` does), and a consumer file reading `EnvironmentSpec` fields
 * is checked against them: what its editor shows on hover is the TSDoc of the schema field in our sources.
 */
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { withSchemaFieldDocs } from '../../bin/schema-field-docs';

const repo = resolve(__dirname, '../..');
const specSource = join(repo, 'constructs/kafka/spec/environment-spec.ts');
/** Never written: the emitted files live in memory, under the repository so `zod` resolves from its node_modules. */
const outDir = join(repo, '.schema-field-docs-test');
const options: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  skipLibCheck: true,
  // Neither lib.dom nor @types/*: the spec needs neither, and they would be most of what each program parses.
  lib: ['lib.es2022.d.ts'],
  types: [],
};

/**
 * Parsed files shared by every program of this suite (the emit and each consumer program): zod's declarations and the
 * default library are parsed once, not once per program. Only files read from disk are cached.
 */
const parsedFiles = new Map<string, ts.SourceFile>();
function sharedHost(compilerOptions: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(compilerOptions);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => {
    const key = `${resolve(name)}\0${typeof version === 'object' ? version.languageVersion : version}`;
    const cached = parsedFiles.get(key);
    if (cached) return cached;
    const parsed = read(name, version, onError);
    if (parsed) parsedFiles.set(key, parsed);
    return parsed;
  };
  return host;
}

/** Field paths of `EnvironmentSpec` a consumer reads, and the doc text our sources give each. */
const consumer = `import type { EnvironmentSpec } from './constructs/kafka/spec/environment-spec';
declare const spec: EnvironmentSpec;
spec.kafka.version;
spec.kafka.brokers.size.cpu;
spec.aws.region;
spec.security?.users;
`;

let emitted: Map<string, string>;
let program: ts.Program;
beforeAll(() => {
  emitted = new Map();
  const emitOptions = { ...options, declaration: true, emitDeclarationOnly: true, rootDir: repo, outDir };
  program = ts.createProgram([specSource], emitOptions, sharedHost(emitOptions));
  const result = program.emit(undefined, (name, text) => emitted.set(resolve(name), text));
  expect(result.diagnostics).toEqual([]);
}, 60_000);

/** What hovering each field of the consumer file shows, against the given declaration of environment-spec.ts. */
function hoverDocs(environmentSpecDeclaration: string): Record<string, string> {
  const files = new Map(emitted);
  files.set(join(outDir, 'constructs/kafka/spec/environment-spec.d.ts'), environmentSpecDeclaration);
  const consumerFile = join(outDir, 'consumer.ts');
  files.set(consumerFile, consumer);
  const host = sharedHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => {
    const text = files.get(resolve(name));
    return text === undefined ? read(name, version) : ts.createSourceFile(name, text, version, true);
  };
  host.fileExists = ((exists) => (name: string) => files.has(resolve(name)) || exists(name))(host.fileExists.bind(host));
  host.directoryExists = ((exists) => (name: string) => resolve(name).startsWith(outDir) || (exists?.(name) ?? true))(host.directoryExists?.bind(host));
  host.readFile = ((readFile) => (name: string) => files.get(resolve(name)) ?? readFile(name))(host.readFile.bind(host));
  const consumerProgram = ts.createProgram([consumerFile], options, host);
  expect(ts.getPreEmitDiagnostics(consumerProgram).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  const checker = consumerProgram.getTypeChecker();
  const docs: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      const access = node.expression as ts.PropertyAccessExpression;
      const symbol = checker.getSymbolAtLocation(access.name);
      docs[access.getText()] = symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)) : '(no symbol)';
    }
    ts.forEachChild(node, visit);
  };
  visit(consumerProgram.getSourceFile(consumerFile)!);
  return docs;
}

const rawDeclaration = () => emitted.get(join(outDir, 'constructs/kafka/spec/environment-spec.d.ts'))!;

it('loses the field docs in plain declaration emit (why the rewrite exists)', () => {
  expect(hoverDocs(rawDeclaration())).toEqual({
    'spec.kafka.version': '',
    'spec.kafka.brokers.size.cpu': '',
    'spec.aws.region': '',
    'spec.security?.users': '',
  });
});

it('shows the schema field docs on hover once the declaration is rewritten', () => {
  const documented = withSchemaFieldDocs(rawDeclaration(), program.getSourceFile(specSource)!, program.getTypeChecker());
  const docs = hoverDocs(documented);
  expect(docs['spec.kafka.version']).toBe('Kafka release, 4.x only (KRaft).');
  expect(docs['spec.kafka.brokers.size.cpu']).toBe('vCPUs per node. On Kubernetes this is the CPU request and limit.');
  expect(docs['spec.aws.region']).toMatch(/^AWS region/);
  expect(docs['spec.security?.users']).toMatch(/^Application users by name/);
});

it('keeps every line where it was, so the declaration map stays true', () => {
  const raw = rawDeclaration();
  const documented = withSchemaFieldDocs(raw, program.getSourceFile(specSource)!, program.getTypeChecker());
  expect(documented.split('\n')).toHaveLength(raw.split('\n').length);
  expect(documented.replace(/\/\*\* .*? \*\/ /g, '')).toBe(raw);
});
