/**
 * `kafka-infra <command>`: the package's command-line tool. Every command shares the exit codes (0 ok, 1 invalid
 * input or a failed check, 2 usage), prints errors as one clear message without a stack trace, and reports
 * progress per environment with timings.
 */
import { CliError, type CliOutput, EXIT_FAILED, EXIT_USAGE, UsageError, processOutput } from './errors';
import { INIT_USAGE, runInitCommand } from './init-command';
import { PIPELINE_COMMANDS, runPipelineCommand } from './pipeline-commands';
import { SYNTH_USAGE, runSynthCommand } from './synth-command';

/** `kafka-infra --help`. */
export const MAIN_USAGE = `usage: kafka-infra <command> [options]

Apache Kafka 4.x (KRaft) as typed infrastructure code.

commands:
  synth          validate every environment and write cdktf.out/ and dist/
${PIPELINE_COMMANDS.map((command) => `  ${command.name.padEnd(14)} ${command.summary}`).join('\n')}
  init <env>     start a new environment: environments/<env>.ts with a fresh cluster id and safe defaults

Run \`kafka-infra <command> --help\` for a command's options.
Exit codes: 0 ok, 1 invalid input or a failed check, 2 wrong usage.`;

const USAGES: Readonly<Record<string, string>> = { synth: SYNTH_USAGE, init: INIT_USAGE };

/** A missing optional peer dependency, as the message a user can act on. */
function missingPeer(error: unknown): string | undefined {
  if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') return undefined;
  const missing = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
  const peers = ['cdktf', 'cdk8s', 'cdk8s-plus-27', 'constructs', '@cdktf/provider-aws'];
  const peer = peers.find((name) => missing === name || missing?.startsWith(`${name}/`));
  if (peer === undefined) return undefined;
  return `${peer} is not installed; synthesis needs the peer dependencies: npm install cdktf@^0.21.0 @cdktf/provider-aws@^20.1.0 cdk8s@^2.70.106 cdk8s-plus-27@^2.9.5 constructs@^10.4.2`;
}

/** Runs the command line and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      if (command === undefined) {
        output.err(MAIN_USAGE);
        return EXIT_USAGE;
      }
      output.out(MAIN_USAGE);
      return 0;
    }
    if (command === 'synth') return runSynthCommand(rest, output);
    if (command === 'init') return runInitCommand(rest, output);
    const pipeline = PIPELINE_COMMANDS.find((candidate) => candidate.name === command);
    if (pipeline !== undefined) return await runPipelineCommand(pipeline, rest);
    throw new UsageError(`unknown command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`kafka-infra: ${error.message}`);
      output.err('');
      output.err(USAGES[command ?? ''] ?? MAIN_USAGE);
      return EXIT_USAGE;
    }
    if (error instanceof CliError) {
      output.err(`kafka-infra: ${error.message}`);
      return EXIT_FAILED;
    }
    output.err(`kafka-infra: ${missingPeer(error) ?? (error instanceof Error ? error.message : String(error))}`);
    return EXIT_FAILED;
  }
}
