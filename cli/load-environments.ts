/**
 * How `kafka-infra` finds a project's environments: the module `environments/index.ts` of the project folder (the
 * current directory, or `--project <dir>`), or the file given with `--environments <file>`, exporting
 * `environments: EnvironmentSpec[]` — the layout of this repository and of every project `kafka-infra init` starts.
 * TypeScript is compiled on the fly with esbuild (bundled, packages left external), then run as if it were that
 * file, so its imports of `kafka-typed-infra` and other packages resolve from the project's own node_modules.
 */
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { EnvironmentSpec } from '../constructs/kafka/spec/environment-spec';
import { CliError } from './errors';

/** Where the environments module is looked for, in order, inside the project folder. */
export const ENVIRONMENT_MODULE_CANDIDATES = ['environments/index.ts', 'environments/index.js'] as const;

/** The environments module of a project, or a clear error naming where it was looked for. */
export function findEnvironmentsModule(projectDir: string, explicit?: string): string {
  if (explicit !== undefined) {
    const path = resolve(projectDir, explicit);
    if (!existsSync(path)) throw new CliError(`--environments ${explicit}: no such file (${path})`);
    return path;
  }
  for (const candidate of ENVIRONMENT_MODULE_CANDIDATES) {
    const path = join(projectDir, candidate);
    if (existsSync(path)) return path;
  }
  throw new CliError(
    `no environments found in ${projectDir}: expected ${ENVIRONMENT_MODULE_CANDIDATES.join(' or ')} exporting ` +
      '`environments` (start one with `kafka-infra init <env>`), or name the module with --environments <file>',
  );
}

interface NodeModuleInternals {
  _nodeModulePaths(dir: string): string[];
}

/** Loads the `environments` export of a module, compiling TypeScript with esbuild first. */
export function loadEnvironments(modulePath: string): readonly EnvironmentSpec[] {
  // Loaded lazily: only commands that read environments need esbuild.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  let code: string;
  try {
    const result = esbuild.buildSync({
      entryPoints: [modulePath],
      bundle: true,
      packages: 'external',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      loader: { '.sh': 'text' },
    });
    code = result.outputFiles[0]?.text ?? '';
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    const lines = errors.map((entry) => `  ${entry.location ? `${entry.location.file}:${entry.location.line}: ` : ''}${entry.text}`);
    throw new CliError(`cannot compile ${modulePath}:\n${lines.join('\n') || String(error)}`);
  }
  const loaded = new Module(modulePath);
  loaded.filename = modulePath;
  loaded.paths = (Module as unknown as NodeModuleInternals)._nodeModulePaths(dirname(modulePath));
  try {
    (loaded as unknown as { _compile(code: string, filename: string): void })._compile(code, modulePath);
  } catch (error) {
    throw new CliError(`${relative(process.cwd(), modulePath) || modulePath} failed to load: ${(error as Error).message}`);
  }
  const exported = (loaded.exports as { environments?: unknown }).environments;
  if (!Array.isArray(exported)) {
    throw new CliError(`${modulePath} must export \`environments\`, an array of EnvironmentSpec (found ${typeof exported})`);
  }
  return exported as EnvironmentSpec[];
}
