/**
 * A fake Kafka cluster for running the reconcile script for real: stand-ins for kafka-topics.sh, kafka-configs.sh,
 * kafka-acls.sh, kafka-broker-api-versions.sh and kafka-metadata-quorum.sh in a bin/ folder, all backed by one
 * JSON state file (see fake-kafka.cjs), and a log of every command line they were given.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashShebang } from './bash-path';

export interface FakeTopic {
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface FakeClusterState {
  topics: Record<string, FakeTopic>;
  /** user -> SCRAM-SHA-512 password the cluster knows. */
  scram: Record<string, string>;
  /** `user|clientId` -> quota key -> value. */
  quotas: Record<string, Record<string, number>>;
  /** ACLs as plan lines (`principal|permission|host|operation|type|pattern|name`). */
  acls: string[];
  /** Node id of the active controller. @default 0 */
  leader?: number;
  /** Protocol a client without SASL must use (mTLS or no authentication). */
  securityProtocol?: string;
}

const TOOLS = ['kafka-topics.sh', 'kafka-configs.sh', 'kafka-acls.sh', 'kafka-broker-api-versions.sh', 'kafka-metadata-quorum.sh'];

export class FakeKafka {
  readonly dir = mkdtempSync(join(tmpdir(), 'fake-kafka-'));
  readonly bin = join(this.dir, 'bin');
  private readonly statePath = join(this.dir, 'state.json');
  private readonly callsPath = join(this.dir, 'calls.log');
  private server?: ChildProcess;

  /** Starts the cluster's server (127.0.0.1, a free port) and writes the tools' shims. */
  static async start(): Promise<FakeKafka> {
    const fake = new FakeKafka();
    await fake.listen();
    return fake;
  }

  private constructor() {
    mkdirSync(this.bin);
    this.set({ topics: {}, scram: {}, quotas: {}, acls: [] });
  }

  private async listen(): Promise<void> {
    const server = spawn(process.execPath, [join(__dirname, 'fake-kafka.cjs'), this.statePath, this.callsPath, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.server = server;
    const port = await new Promise<string>((resolve, reject) => {
      server.once('error', reject);
      server.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    });
    for (const tool of TOOLS) {
      const path = join(this.bin, tool);
      writeFileSync(
        path,
        [
          bashShebang(),
          `exec 3<>/dev/tcp/127.0.0.1/${port}`,
          `{ printf '%s\\n' "$(($# + 1))"; printf '%s\\0' ${tool} "$@"; } >&3`,
          'IFS= read -r status <&3',
          'IFS= read -r length <&3',
          'if [ "$length" -gt 0 ]; then IFS= read -r -d "" -N "$length" message <&3; printf "%s" "$message" >&2; fi',
          'cat <&3',
          'exit "$status"',
          '',
        ].join('\n'),
      );
      chmodSync(path, 0o755);
    }
  }

  set(state: FakeClusterState): void {
    writeFileSync(this.statePath, JSON.stringify({ leader: 0, ...state }));
    writeFileSync(this.callsPath, '');
  }

  state(): FakeClusterState {
    return JSON.parse(readFileSync(this.statePath, 'utf8')) as FakeClusterState;
  }

  /** Every command line since the last `set`, as argv arrays (the tool name first). */
  calls(): string[][] {
    return readFileSync(this.callsPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  }

  /** Calls that change the cluster (everything but describe/list/authentication/quorum status). */
  changingCalls(): string[][] {
    return this.calls().filter((call) => ['--alter', '--create', '--delete', '--add', '--remove'].some((flag) => call.includes(flag)));
  }

  cleanup(): void {
    if (this.server?.pid) process.kill(this.server.pid);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a bash script with only the given environment (plus PATH). */
export function runScript(script: string, env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}
