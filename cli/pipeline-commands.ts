/**
 * `review` and `rehearse` are pipelines of their own (review/, rehearse/), each with its command line in
 * `<pipeline>/cli.ts` exporting `run<Name>Cli(argv): Promise<number>`. They are resolved when called, so this tool
 * builds and runs in a checkout or a package version that does not have one of them yet.
 */
import { CliError } from './errors';

/** A pipeline command of `kafka-infra`. */
export interface PipelineCommand {
  /** The subcommand. */
  readonly name: 'review' | 'rehearse';
  /** One line for `kafka-infra --help`. */
  readonly summary: string;
  /** The module, relative to this folder. */
  readonly modulePath: string;
  /** The function the module exports. */
  readonly exportName: string;
}

/** The pipelines `kafka-infra` dispatches to. */
export const PIPELINE_COMMANDS: readonly PipelineCommand[] = [
  { name: 'review', summary: 'the pull-request report: what changed between two synthesized outputs and what is dangerous', modulePath: '../review/cli', exportName: 'runReviewCli' },
  { name: 'rehearse', summary: 'the emulated deploy of a synthesized output', modulePath: '../rehearse/cli', exportName: 'runRehearseCli' },
];

type PipelineCli = (argv: readonly string[]) => Promise<number>;

function isMissing(error: unknown, modulePath: string): boolean {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? '';
  // Only the pipeline module itself being absent; a module it imports missing is a real error.
  return code === 'MODULE_NOT_FOUND' && message.includes(`'${modulePath}'`);
}

/** The pipeline's command-line function, or undefined when this build does not contain that pipeline. */
export function resolvePipeline(command: PipelineCommand, load: (path: string) => unknown = require): PipelineCli | undefined {
  let loaded: unknown;
  try {
    loaded = load(command.modulePath);
  } catch (error) {
    if (isMissing(error, command.modulePath)) return undefined;
    throw error;
  }
  const run = (loaded as Record<string, unknown>)[command.exportName];
  if (typeof run !== 'function') throw new CliError(`${command.modulePath} does not export ${command.exportName}`);
  return run as PipelineCli;
}

/** Runs a pipeline command; exit 1 with a clear message when this build does not contain it. */
export async function runPipelineCommand(command: PipelineCommand, argv: readonly string[]): Promise<number> {
  const run = resolvePipeline(command);
  if (run === undefined) throw new CliError(`${command.name} is not available in this version of kafka-typed-infra`);
  return run(argv);
}
