/**
 * Terraform, run the way a user's `cdktf deploy` runs it (init, apply in the stack's folder), against the emulator:
 * offline provider installation from the mirror, test credentials only, and nothing able to leave 127.0.0.1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_PROVIDER_VERSION, findProviderMirror, providerBinaryIn, writeMirrorCliConfig } from './provider-mirror';
import { type ProviderSchemaProxy, startProviderSchemaProxy } from './provider-schema-proxy';
import { REHEARSED_TYPES } from './stack-override';

/** A failed Terraform step, naming the stack and, where Terraform says, the resource. */
export class RehearsalError extends Error {
  constructor(
    /** The stack (`<env>-<part>`); not `stack`, which is the Error's stack trace. */
    readonly stackName: string,
    readonly step: string,
    readonly resource: string | undefined,
    readonly reason: string,
    /** Terraform's error diagnostics, where it gave them as JSON. @default - none */
    readonly diagnostics: readonly TerraformDiagnostic[] = [],
  ) {
    super(`${stackName}: ${step} failed${resource ? ` at ${resource}` : ''}: ${reason}`);
    this.name = 'RehearsalError';
  }
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A Terraform diagnostic from `-json` output. */
export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

/**
 * How Terraform is run for the rehearsal: the CLI config with the mirror and the environment. No plugin cache:
 * `terraform init` links the unpacked mirror into `.terraform/` (no copy of the 700 MB binary), and a shared cache
 * is not safe for concurrent inits.
 */
export interface TerraformSetup {
  readonly cliConfig: string;
  readonly env: NodeJS.ProcessEnv;
  /** `-parallelism` for apply, plan and destroy. */
  readonly parallelism: number;
  /** One AWS provider process per Terraform command instead of one per phase (see PROVIDER_COMMANDS). */
  readonly providerPerCommand: boolean;
  /**
   * With `providerPerCommand`: the provider binary every command attaches to (the mirror's own), and `terraform init`
   * installs none (see runTerraform).
   * @default - the provider `terraform init` installed in the stack's folder
   */
  readonly providerBinary?: string;
  /**
   * With `providerPerCommand`: Terraform gets the schema of these resource and data source types only
   * (provider-schema-proxy.ts); undefined hands it the provider's whole schema.
   */
  readonly schemaTypes?: ReadonlySet<string>;
  /**
   * With `providerPerCommand`: keeps each stack folder's provider process for the folder's next command (see
   * ProviderPool). @default - a provider process per command
   */
  readonly providers?: ProviderPool;
}

/**
 * Concurrent resource operations per Terraform run. Above Terraform's 10: most of an apply or destroy against the
 * emulator is the provider's waiters sleeping (an instance 10 s before its first poll, a DNS record 15 s, a volume
 * attachment 20 s), and with 10 slots the sleepers queue behind each other (staging-kafka: 85 resources, its destroy
 * 66 s with 10, its critical path ~40 s). The emulator serves requests on threads; the CPU work is the same.
 */
export const DEFAULT_PARALLELISM = 32;

/**
 * GOGC for Terraform and the AWS provider: the 700 MB provider spends much of its start collecting garbage at Go's
 * default pace (100), and a lazier collector saves CPU (the validate helper in test/support/terraform.ts uses it too).
 */
export const PROVIDER_GOGC = '400';

/**
 * The environment of every Terraform process: the caller's, minus any AWS credentials or profile (the rehearsal
 * must never use real ones), plus the emulator's test credentials, the emulator as the endpoint of every AWS service
 * (`AWS_ENDPOINT_URL`, read by the provider's SDK), and a proxy that does not exist for everything but the loopback
 * address, so a call to a real AWS endpoint fails instead of leaving the machine.
 */
export function rehearsalEnvironment(base: NodeJS.ProcessEnv, cliConfig: string, endpoint: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (/^(AWS_|TF_VAR_|TF_CLI_ARGS|TF_LOG|TF_DATA_DIR|TF_WORKSPACE|TF_PLUGIN_CACHE|TF_REATTACH_PROVIDERS)/.test(key) || /^(https?|all|no)_proxy$/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    DISABLE_VERSION_CHECK: 'true',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: endpoint,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    // A lazier garbage collector (PROVIDER_GOGC), and a limit that keeps each concurrent provider's heap within 1 GiB.
    GOGC: base.GOGC ?? PROVIDER_GOGC,
    GOMEMLIMIT: base.GOMEMLIMIT ?? '1GiB',
  };
}

/** Writes the CLI config under `workDir` and returns how to run Terraform against the emulator at `endpoint`. */
export function terraformSetup(workDir: string, endpoint: string, parallelism = DEFAULT_PARALLELISM): TerraformSetup {
  const mirror = findProviderMirror();
  if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR to the folder holding registry.terraform.io/)');
  const providerBinary = providerBinaryIn(mirror);
  if (!providerBinary) throw new Error(`the mirror ${mirror} holds no hashicorp/aws ${AWS_PROVIDER_VERSION} binary for ${process.platform}/${process.arch}`);
  mkdirSync(workDir, { recursive: true });
  const cliConfig = writeMirrorCliConfig(join(workDir, 'terraform.rc'), mirror);
  // REHEARSE_PROVIDER_PER_PHASE=1 lets Terraform start the provider itself, as a user's run does (to compare).
  // REHEARSE_FULL_SCHEMA=1 hands Terraform the provider's whole schema, as a user's run does (to compare).
  return {
    cliConfig,
    env: rehearsalEnvironment(process.env, cliConfig, endpoint),
    parallelism,
    providerPerCommand: process.env.REHEARSE_PROVIDER_PER_PHASE !== '1',
    providerBinary,
    ...(process.env.REHEARSE_FULL_SCHEMA === '1' ? {} : { schemaTypes: REHEARSED_TYPES }),
    // REHEARSE_PROVIDER_PER_COMMAND=1 starts a fresh provider process for every command (to compare).
    ...(process.env.REHEARSE_PROVIDER_PER_COMMAND === '1' ? {} : { providers: new ProviderPool() }),
  };
}

/** Terraform and cdktf processes still running, so an aborted rehearsal (timeout, Ctrl-C) can end them. */
const running = new Set<ChildProcess>();

function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('close', () => running.delete(child));
}

/** Ends every Terraform or cdktf process the rehearsal started and that is still running (SIGTERM, by PID). */
export function stopRunningCommands(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

/**
 * Terraform subcommands that start the AWS provider. Left to itself, Terraform starts a fresh provider process for
 * each phase of one command (schema, validate, plan, apply: three or four per command), and each start costs the
 * 700 MB provider about a second of CPU building its schema. One provider process per command, started here in the
 * provider's own debug-serving mode and attached with TF_REATTACH_PROVIDERS, does the same work once: same binary,
 * same configuration, same requests. A process serves one command at a time, never two at once: ConfigureProvider
 * sets the one configuration of the whole process. Configured again by the next command of its folder, it takes the
 * new configuration (ProviderPool); only a custom CA bundle (AWS_CA_BUNDLE, which rehearsalEnvironment drops: the
 * emulator is plain http) makes a second ConfigureProvider fail ("unable to add custom RootCAs HTTPClient").
 */
const PROVIDER_COMMANDS = new Set(['plan', 'apply', 'destroy', 'show', 'validate', 'refresh', 'import']);

/** How long the provider may take to print its reattach line (it takes about a second on an idle machine). */
const PROVIDER_START_TIMEOUT_MS = 120_000;

interface ProviderServer {
  readonly pid: number;
  /** The TF_REATTACH_PROVIDERS value that attaches Terraform to this process. */
  readonly reattach: string;
  /** Whether the process still runs. */
  running(): boolean;
  stop(): Promise<void>;
}

/** Starts the provider in debug-serving mode and waits for the reattach line it prints. */
function startProviderServer(binary: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ProviderServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-debug'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    let output = '';
    let started = false;
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
    };
    const onData = (chunk: Buffer) => {
      if (started) return;
      output += chunk.toString();
      const line = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
      if (line) {
        started = true;
        clearTimeout(timer);
        resolve({ pid: child.pid!, reattach: line[1], running: () => child.exitCode === null && child.signalCode === null, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    // It prints the line within seconds; a provider that never does must not hang the rehearsal.
    const timer = setTimeout(() => {
      if (started) return;
      child.kill('SIGTERM');
      reject(new Error(`the AWS provider (${binary}) did not start serving within ${PROVIDER_START_TIMEOUT_MS / 1000} s: ${output.trim().split('\n').slice(-5).join(' ')}`));
    }, PROVIDER_START_TIMEOUT_MS);
    void closed.then(() => {
      clearTimeout(timer);
      if (!started) reject(new Error(`the AWS provider (${binary}) exited before serving: ${output.trim().split('\n').slice(-5).join(' ')}`));
    });
  });
}

/**
 * Provider processes kept from one command of a stack folder to the folder's next one: a stack's apply, second plan,
 * update, destroy-protection plan and destroy run one after the other against the same configuration, and each start
 * of the 700 MB provider costs about half a second of CPU before it does any work. A command that finds its folder's
 * process busy (commands of one folder do not overlap in the rehearsal) or gone gets a process of its own, stopped
 * after it. Each command still configures the provider afresh (ConfigureProvider), as a separate process would be.
 * Kept processes end with `stopUnder` (the rehearsal's end, a stack's destroy) or `stopRunningCommands`.
 */
export class ProviderPool {
  /** By binary and folder. */
  private readonly kept = new Map<string, KeptProvider>();

  /** A provider process for one command in `cwd`; `release` hands it back once the command has ended. */
  async lease(binary: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ProviderLease> {
    const key = `${binary}\0${cwd}`;
    const kept = this.kept.get(key);
    if (kept && !kept.busy && kept.server.running()) return keptLease(kept);
    const server = await startProviderServer(binary, cwd, env);
    // Another command of the folder may have kept a process of its own meanwhile.
    if (this.kept.get(key)?.server.running()) return oneCommandLease(server);
    const entry = { cwd, server, busy: false };
    this.kept.set(key, entry);
    return keptLease(entry);
  }

  /** PIDs of the processes kept now. */
  keptPids(): number[] {
    return [...this.kept.values()].map((entry) => entry.server.pid);
  }

  /** Stops the kept processes of every folder at or below `dir`. */
  async stopUnder(dir: string): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const [key, entry] of this.kept) {
      if (entry.cwd !== dir && !entry.cwd.startsWith(`${dir}/`)) continue;
      this.kept.delete(key);
      stopping.push(entry.server.stop());
    }
    await Promise.all(stopping);
  }
}

/** A provider process for one Terraform command, and how to hand it back once the command has ended. */
interface ProviderLease {
  readonly server: ProviderServer;
  release(): Promise<void>;
}

/** A process kept for the commands of one folder. */
interface KeptProvider {
  readonly cwd: string;
  readonly server: ProviderServer;
  busy: boolean;
}

/** A kept process, busy until handed back. */
function keptLease(entry: KeptProvider): ProviderLease {
  entry.busy = true;
  return { server: entry.server, release: async () => void (entry.busy = false) };
}

/** A process started for one command: handing it back stops it. */
function oneCommandLease(server: ProviderServer): ProviderLease {
  return { server, release: () => server.stop() };
}

/** Runs a command to its end (tracked, so `stopRunningCommands` can end it), with its output. */
export function runProcess(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }));
  });
}

/**
 * TF_REATTACH_PROVIDERS for a `terraform init` whose later commands all attach to `binary`: Terraform then counts the
 * AWS provider as attached ("unmanaged"), configures the backend and installs nothing. Installing would link the
 * mirror's 700 MB provider and hash all of it for the lock file, ~0.8 s of CPU per stack folder, for a binary no
 * command of the rehearsal runs from there. init never contacts the provider, so the address names no process.
 */
function providerLeftUninstalled(binary: string): string {
  return JSON.stringify({
    'registry.terraform.io/hashicorp/aws': { Protocol: 'grpc', ProtocolVersion: 5, Pid: process.pid, Test: true, Addr: { Network: 'unix', String: `${binary}.not-served` } },
  });
}

export async function runTerraform(setup: TerraformSetup, cwd: string, args: readonly string[]): Promise<TerraformResult> {
  if (setup.providerPerCommand && setup.providerBinary && args[0] === 'init') {
    return runProcess('terraform', args, cwd, { ...setup.env, TF_REATTACH_PROVIDERS: providerLeftUninstalled(setup.providerBinary) });
  }
  const binary = setup.providerPerCommand && PROVIDER_COMMANDS.has(args[0]) ? (setup.providerBinary ?? providerBinaryIn(join(cwd, '.terraform', 'providers'))) : undefined;
  if (!binary) return runProcess('terraform', args, cwd, setup.env);
  const { server: provider, release } = setup.providers
    ? await setup.providers.lease(binary, cwd, setup.env)
    : oneCommandLease(await startProviderServer(binary, cwd, setup.env));
  let proxy: ProviderSchemaProxy | undefined;
  try {
    let reattach = provider.reattach;
    if (setup.schemaTypes) {
      const config = JSON.parse(reattach) as Record<string, { Addr: { Network: string; String: string } }>;
      const [attached] = Object.values(config);
      if (attached?.Addr.Network !== 'unix') throw new Error(`the AWS provider serves on ${attached?.Addr.Network}, not a unix socket: run with REHEARSE_FULL_SCHEMA=1`);
      proxy = await startProviderSchemaProxy(attached.Addr.String, binary, setup.schemaTypes);
      attached.Addr.String = proxy.socket;
      reattach = JSON.stringify(config);
    }
    return await runProcess('terraform', args, cwd, { ...setup.env, TF_REATTACH_PROVIDERS: reattach });
  } finally {
    await proxy?.close();
    await release();
  }
}

/** The diagnostics of a `-json` run (one JSON message per line). */
export function jsonDiagnostics(stdout: string): TerraformDiagnostic[] {
  const diagnostics: TerraformDiagnostic[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const message = JSON.parse(line) as { type?: string; diagnostic?: TerraformDiagnostic };
      if (message.type === 'diagnostic' && message.diagnostic) diagnostics.push(message.diagnostic);
    } catch {
      // not a JSON message
    }
  }
  return diagnostics;
}

/** The `change_summary` of a `-json` apply or destroy. */
export function changeSummary(stdout: string): { add: number; change: number; remove: number } | undefined {
  let summary: { add: number; change: number; remove: number } | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.includes('"change_summary"')) continue;
    try {
      summary = (JSON.parse(line) as { changes: { add: number; change: number; remove: number } }).changes;
    } catch {
      // not a JSON message
    }
  }
  return summary;
}

/** Throws a RehearsalError naming the stack and the first resource Terraform blames, with every error's text. */
export function failOnError(stack: string, step: string, result: TerraformResult, json: boolean): void {
  if (result.code === 0) return;
  const errors = json ? jsonDiagnostics(result.stdout).filter((diagnostic) => diagnostic.severity === 'error') : [];
  if (errors.length > 0) {
    const resource = errors.find((error) => error.address)?.address;
    const reason = errors.map((error) => `${error.address ? `${error.address}: ` : ''}${error.summary}${error.detail ? ` (${error.detail.trim()})` : ''}`).join('; ');
    throw new RehearsalError(stack, step, resource, reason, errors);
  }
  const text = `${result.stderr}\n${result.stdout}`.trim();
  const resource = /with ([a-z0-9_]+\.[^,\s]+),/.exec(text)?.[1];
  throw new RehearsalError(stack, step, resource, text.split('\n').slice(-30).join('\n'));
}
