/**
 * `npm run rehearse [-- --env <name>[,<name>...]] [--keep] [--via terraform|cdktf]`: deploys every environment's
 * stacks to a local AWS emulator (moto) and back: apply in dependency order, a second plan that must be empty, the
 * update round, the data protections, destroy and re-create. Prints progress per stack, then a table; exits 1 naming
 * the stack, the resource and the error when a step fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentSpec } from '../constructs/kafka/spec/environment-spec';
import { emulatorUnavailableReason, startEmulator } from './emulator';
import { findProviderMirror } from './provider-mirror';
import { rehearsalSummary } from './report';
import { type EnvironmentRehearsal, rehearseEnvironment } from './rehearsal';
import { RehearsalError, stopRunningCommands, terraformSetup } from './terraform';

const USAGE = 'usage: npm run rehearse [-- --env <name>[,<name>...]] [--keep] [--via terraform|cdktf]';

class UsageError extends Error {}

interface Options {
  readonly only?: string[];
  readonly keep: boolean;
  readonly via: 'terraform' | 'cdktf';
}

function parseArgs(argv: readonly string[], environments: readonly EnvironmentSpec[]): Options {
  const only: string[] = [];
  let keep = false;
  let via: 'terraform' | 'cdktf' = 'cdktf';
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--env' && argv[index + 1]) only.push(...argv[++index].split(','));
    else if (arg.startsWith('--env=')) only.push(...arg.slice('--env='.length).split(','));
    else if (arg === '--keep') keep = true;
    else if ((arg === '--via' && argv[index + 1]) || arg.startsWith('--via=')) {
      const value = arg.startsWith('--via=') ? arg.slice('--via='.length) : argv[++index];
      if (value !== 'terraform' && value !== 'cdktf') throw new UsageError(`--via ${value}: must be terraform or cdktf\n${USAGE}`);
      via = value;
    } else throw new UsageError(`unknown argument ${arg}\n${USAGE}`);
  }
  const known = environments.map((spec) => spec.name);
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown environment ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return { ...(only.length > 0 ? { only } : {}), keep, via };
}

/**
 * `npm run rehearse` / `kafka-infra rehearse`: returns the exit code (0 ok, 1 a failed step, 2 usage).
 * @param environments the project's environments @default - this repository's (`environments/index.ts`)
 */
export async function runRehearseCli(argv: readonly string[], environments: readonly EnvironmentSpec[] = repositoryEnvironments()): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv, environments);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const missing = emulatorUnavailableReason() ?? (findProviderMirror() ? undefined : 'no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR)');
  if (missing) {
    console.error(`rehearse: ${missing}`);
    return 1;
  }
  const selected = options.only ?? environments.map((spec) => spec.name);
  const workDir = mkdtempSync(join(tmpdir(), 'kafka-rehearse-'));
  const started = performance.now();
  const emulator = await startEmulator();
  const stopOnSignal = () => {
    stopRunningCommands();
    void emulator.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  console.log(`emulator: moto_server at ${emulator.endpoint} (PID ${emulator.pid}); work folder ${workDir}`);
  const setup = terraformSetup(join(workDir, 'terraform'), emulator.endpoint);
  let failed = false;
  try {
    // Environments are independent (own names, own state keys): rehearse them at the same time.
    const settled = await Promise.allSettled(
      selected.map((environment) =>
        rehearseEnvironment({
          emulator,
          setup,
          environments,
          environment,
          workDir: join(workDir, environment),
          keep: options.keep,
          via: options.via,
          onProgress: (line) => console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}`),
        }),
      ),
    );
    const done = settled.filter((result): result is PromiseFulfilledResult<EnvironmentRehearsal> => result.status === 'fulfilled').map((result) => result.value);
    console.log(`\n${rehearsalSummary(done)}`);
    for (const [index, result] of settled.entries()) {
      if (result.status === 'fulfilled') continue;
      failed = true;
      const error = result.reason;
      if (error instanceof RehearsalError) {
        console.error(`\nrehearsal of ${selected[index]} FAILED: stack ${error.stackName}, step ${error.step}${error.resource ? `, resource ${error.resource}` : ''}:\n  ${error.reason}`);
      } else {
        console.error(`\nrehearsal of ${selected[index]} FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    console.log(`\nrehearsed ${selected.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? ' — FAILED' : ''}`);
    if (options.keep) {
      console.log(`--keep: the environments stay applied in the emulator at ${emulator.endpoint} (AWS_ACCESS_KEY_ID=test); Ctrl-C stops it.`);
      await new Promise<void>(() => undefined);
    }
  } finally {
    stopRunningCommands();
    await emulator.stop();
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

/** Loaded only when no environments are given, so the installed package does not carry this repository's. */
function repositoryEnvironments(): readonly EnvironmentSpec[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../environments') as { environments: readonly EnvironmentSpec[] }).environments;
}
