import { resolve } from 'node:path';
import { runSynthCli } from '../synth/cli';
import { parseArgs } from './args';
import { CliError, type CliOutput, UsageError } from './errors';
import { findEnvironmentsModule, loadEnvironments } from './load-environments';

/** `kafka-infra synth --help`. */
export const SYNTH_USAGE = `usage: kafka-infra synth [--env <name>[,<name>...]] [--project <dir>] [--environments <file>]

Validates every environment of the project and writes Terraform to <project>/cdktf.out/stacks/<env>-<part>/ and
Kubernetes YAML, Kafka configs, monitoring files and the topology to <project>/dist/<env>/. Nothing is written when
any environment is invalid.

  --env <names>          synthesize only these environments (the others' output is kept); repeatable
  --project <dir>        the project folder; default: the current directory
  --environments <file>  the module exporting \`environments\`; default: <project>/environments/index.ts`;

/** Runs `kafka-infra synth`; returns the exit code. */
export function runSynthCommand(argv: readonly string[], output: CliOutput): number {
  const args = parseArgs(argv, { env: 'value', project: 'value', environments: 'value', help: 'switch' });
  if (args.switches.has('help')) {
    output.out(SYNTH_USAGE);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`synth takes no arguments, got ${args.positionals.join(' ')}`);
  const projectDir = resolve(args.flags.get('project') ?? '.');
  const started = performance.now();
  const modulePath = findEnvironmentsModule(projectDir, args.flags.get('environments'));
  const environments = loadEnvironments(modulePath);
  if (environments.length === 0) throw new CliError(`${modulePath} exports no environment`);
  output.err(`loaded ${environments.length} environment(s) from ${modulePath} in ${(performance.now() - started).toFixed(0)} ms`);
  return runSynthCli(
    (args.values.get('env') ?? []).flatMap((names) => ['--env', names]),
    {
      rootDir: projectDir,
      environments,
      usage: 'kafka-infra synth [--env <name>[,<name>...]]',
      log: (line) => output.out(line),
      error: (line) => output.err(line),
    },
  );
}
