/**
 * `tsc -p <project>` of a consumer project, with the type-check narrowed to what is ours: the consumer's own sources,
 * the declarations of our installed package and TypeScript's default library are checked with the project's own
 * settings (`skipLibCheck: false` included), every other package's declarations only as far as ours use them.
 *
 * Why: tsc checks every declaration file in reach, and cdk8s-plus-27's and the AWS provider's make up most of its
 * time (measured: the full check ~20 CPU-s, this one ~11) while their diagnostics are not ours to fix. TypeScript's
 * diagnostics belong to one file each, so asking for ours alone finds exactly the errors the full run would report
 * in our files. The consumer's sources are emitted one by one: `program.emit()` without a file would check them all.
 * Planted errors prove the narrowing in test/package/consumer.test.ts ('the consumer type-check on planted errors').
 */
import { join, relative } from 'node:path';
import * as ts from 'typescript';

export interface ConsumerTypeCheck {
  /** Diagnostics of the project's settings and of our files, as `tsc --pretty false` prints them. */
  readonly diagnostics: readonly string[];
  /** The files checked (ours), relative to the project. */
  readonly checked: readonly string[];
  /** How many files were only loaded (third-party declarations, checked as far as ours use them). */
  readonly loaded: number;
}

/** Type-checks and emits the project at `project`; `packageName` is our package as installed in its node_modules. */
export function typeCheckConsumer(project: string, packageName: string, overrides: ts.CompilerOptions = {}): ConsumerTypeCheck {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(join(project, 'tsconfig.json'), overrides, host);
  if (!parsed) throw new Error(`no tsconfig.json in ${project}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, configFileParsingDiagnostics: parsed.errors });
  const isOurs = (file: ts.SourceFile) => {
    const path = relative(project, file.fileName);
    return !path.startsWith('node_modules/') || path.startsWith(`node_modules/${packageName}/`);
  };
  const ours = program.getSourceFiles().filter(isOurs);
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ];
  for (const file of ours) if (!file.isDeclarationFile) diagnostics.push(...program.emit(file).diagnostics);
  const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => project, getNewLine: () => '\n' };
  return {
    diagnostics: diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => ts.formatDiagnostic(d, format).trimEnd()),
    checked: ours.map((file) => relative(project, file.fileName)),
    loaded: program.getSourceFiles().length - ours.length,
  };
}
