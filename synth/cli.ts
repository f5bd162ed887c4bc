/**
 * The synth command line, shared by `npm run synth` (bin/synth.ts) and `kafka-infra synth` (cli/synth-command.ts):
 * validates every environment and writes Terraform to cdktf.out/ and Kubernetes YAML, Kafka configs and monitoring
 * files to dist/. Exits 1 with every problem listed when a spec is invalid, writing nothing.
 */
import { resolve } from 'node:path';
import type { EnvironmentSpec } from '../constructs/kafka/spec/environment-spec';
import { SpecValidationError } from '../constructs/kafka/validation/problems';
import { SynthOutputError, describeFileError } from './output-fs';
import { UnknownEnvironmentError, synthesize } from './synthesize';

/** What the synth command line works on. */
export interface SynthCliContext {
  /** The project folder that receives `cdktf.out/` and `dist/`. */
  readonly rootDir: string;
  /** Every environment of the project. */
  readonly environments: readonly EnvironmentSpec[];
  /** How the usage line names the command. @default 'npm run synth [-- --env <name>[,<name>...]]' */
  readonly usage?: string;
  /** Prints one line of the report. @default console.log */
  readonly log?: (line: string) => void;
  /** Prints one line of an error. @default console.error */
  readonly error?: (line: string) => void;
}

function parseSynthArgs(argv: readonly string[], usage: string): { only?: string[]; baseDir?: string } {
  const only: string[] = [];
  let baseDir: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    const next = argv[index + 1];
    if (arg === '--env' && next) {
      only.push(...next.split(','));
      index++;
    } else if (arg.startsWith('--env=')) only.push(...arg.slice('--env='.length).split(','));
    else if (arg === '--base' && next) {
      baseDir = resolve(next);
      index++;
    } else if (arg.startsWith('--base=')) baseDir = resolve(arg.slice('--base='.length));
    else throw new UnknownEnvironmentError(`unknown argument ${arg}; usage: ${usage}`);
  }
  return { ...(only.length > 0 ? { only } : {}), ...(baseDir !== undefined ? { baseDir } : {}) };
}

/**
 * Runs synth as its command line does and returns the exit code: 0 when written, 1 when an environment is invalid
 * or unknown (nothing is written then). Unexpected errors are rethrown.
 */
export function runSynthCli(argv: readonly string[], context: SynthCliContext): number {
  const log = context.log ?? ((line: string) => console.log(line));
  const error = context.error ?? ((line: string) => console.error(line));
  const started = performance.now();
  try {
    const reports = synthesize({
      rootDir: context.rootDir,
      environments: context.environments,
      ...parseSynthArgs(argv, context.usage ?? 'npm run synth [-- --env <name>[,<name>...]] [--base <folder with the base\'s dist/>]'),
      // The cdktf CLI (`cdktf deploy`) runs this app and tells it where to write.
      ...(process.env.CDKTF_OUTDIR ? { terraformOutDir: resolve(process.env.CDKTF_OUTDIR) } : {}),
    });
    for (const report of reports) {
      log(
        `${report.environment} (${report.runtime}): ${report.stacks.length} stack(s) [${report.stacks.join(', ')}], ` +
          `${report.files.length} file(s) in dist/${report.environment}/, ${report.milliseconds.toFixed(0)} ms`,
      );
      for (const file of report.files) log(`  dist/${report.environment}/${file}`);
      for (const stack of report.stacks) log(`  cdktf.out/stacks/${stack}/cdk.tf.json`);
    }
    log(`synthesized ${reports.length} environment(s) in ${(performance.now() - started).toFixed(0)} ms`);
    return 0;
  } catch (caught) {
    if (caught instanceof SpecValidationError || caught instanceof UnknownEnvironmentError) {
      error(`synth failed, nothing was written.\n${caught.message}`);
      return 1;
    }
    // File-system failures (permissions, a full disk, a busy mount point, ...) are one line naming the path.
    const code = (caught as NodeJS.ErrnoException | undefined)?.code;
    if (caught instanceof SynthOutputError || typeof code === 'string') {
      const path = (caught as NodeJS.ErrnoException).path ?? 'the output';
      error(`synth failed: ${describeFileError(caught, 'write', path).message}`);
      return 1;
    }
    throw caught;
  }
}
