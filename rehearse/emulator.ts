/**
 * moto, the AWS emulator, as a child process on a free loopback port. Started with AWS managed policies loaded
 * (`AmazonSSMManagedInstanceCore` and friends exist in moto only then), stopped by its PID on success and failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import serving from './moto-sitecustomize.py';

export interface Emulator {
  /** `http://127.0.0.1:<port>`: every AWS service of the emulator answers here. */
  readonly endpoint: string;
  readonly port: number;
  /** PID of the moto_server process, for the check that nothing is left running. */
  readonly pid: number;
  /** The last 4,000 characters moto wrote to stderr (its warnings and errors). */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** The account moto puts every resource in. */
export const EMULATOR_ACCOUNT_ID = '123456789012';
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** The `moto_server` command PATH finds, or undefined. */
export function motoServerOnPath(): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'moto_server'))
    .find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Why the emulator cannot run here, or undefined when it can: `moto_server` must be on PATH. */
export function emulatorUnavailableReason(): string | undefined {
  // A PATH lookup, not a trial run: importing moto takes seconds, and starting it is the first thing a rehearsal does.
  return motoServerOnPath() ? undefined : 'moto_server (the AWS emulator, Python package moto 5.x) is not on PATH';
}

/** A port the kernel just handed out on 127.0.0.1 and released. */
async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Whether a process with this PID exists (signal 0 only checks). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts `moto_server -H 127.0.0.1 -p <free port>` and resolves once it answers. */
export async function startEmulator(): Promise<Emulator> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await startOn(port);
    } catch (error) {
      // Another process may have taken the port between our probe and moto's bind: try a fresh one, twice.
      if (attempt >= 3 || !/address already in use|exited/i.test(String(error))) throw error;
    }
  }
}

/**
 * A folder holding moto-sitecustomize.py as `sitecustomize.py`, for the front of moto's PYTHONPATH: it changes how moto
 * serves (what it lists once instead of per request, no request log: see the file), not what it answers.
 */
function servingTweaks(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moto-site-'));
  writeFileSync(join(dir, 'sitecustomize.py'), serving);
  return dir;
}

async function startOn(port: number): Promise<Emulator> {
  const site = servingTweaks();
  const pythonPath = [site, ...(process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [])].join(delimiter);
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', PYTHONPATH: pythonPath },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const removeSite = () => rmSync(site, { recursive: true, force: true });
  child.once('exit', removeSite);
  child.once('error', removeSite);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep only the tail (moto's start-up errors are what it is for).
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  // Should the process end without stop() (a test runner's forced exit), the emulator must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited(child)) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_TIMEOUT_MS);
    }
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      const failed = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))]);
      if (failed) throw new Error(`moto_server could not be started: ${failed.message}`);
      if (exited(child)) throw new Error(`moto_server exited at start (code ${child.exitCode}):\n${stderr}`);
      try {
        const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) {
          await response.arrayBuffer();
          return { endpoint, port, pid: child.pid!, stderrTail: () => stderr, stop };
        }
      } catch {
        // not listening yet
      }
    }
    throw new Error(`moto_server did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${stderr}`);
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * One AWS API call to the emulator, for the few set-up steps outside Terraform (the state bucket, the EKS cluster
 * that is a documented prerequisite). moto picks the service from the credential scope and checks no signature.
 */
export async function emulatorRequest(
  emulator: Emulator,
  request: { service: string; region: string; method: string; path: string; body?: string; contentType?: string; target?: string; headers?: Record<string, string> },
): Promise<string> {
  const response = await fetch(`${emulator.endpoint}${request.path}`, {
    method: request.method,
    headers: {
      Authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${request.region}/${request.service}/aws4_request, SignedHeaders=host, Signature=0`,
      ...(request.contentType ? { 'Content-Type': request.contentType } : {}),
      ...(request.target ? { 'X-Amz-Target': request.target } : {}),
      ...request.headers,
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator ${request.service} ${request.method} ${request.path} failed (${response.status}): ${text.slice(0, 500)}`);
  return text;
}

/** The Terraform state bucket, versioned as docs/aws.md asks of the real one. */
export async function createStateBucket(emulator: Emulator, bucket: string, region: string): Promise<void> {
  const s3 = { service: 's3', region, contentType: 'application/xml' };
  const exists = await fetch(`${emulator.endpoint}/${bucket}`, {
    method: 'HEAD',
    headers: { Authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/s3/aws4_request, SignedHeaders=host, Signature=0` },
  });
  if (exists.ok) return;
  const location = region === 'us-east-1' ? '' : `<LocationConstraint>${region}</LocationConstraint>`;
  try {
    await emulatorRequest(emulator, {
      ...s3,
      method: 'PUT',
      path: `/${bucket}`,
      body: `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${location}</CreateBucketConfiguration>`,
    });
  } catch (error) {
    // Environments rehearsed at the same time share the bucket; the other one created it first.
    if (!/BucketAlreadyOwnedByYou/.test(String(error))) throw error;
  }
  await emulatorRequest(emulator, {
    ...s3,
    method: 'PUT',
    path: `/${bucket}?versioning`,
    body: '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>',
  });
}

/** PIDs of moto_server processes listening on `port` (from /proc), to prove none is left behind. */
export function emulatorProcessesOnPort(port: number): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return pids;
  }
  for (const entry of entries) {
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((arg) => arg.endsWith('moto_server')) && args.includes(String(port))) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}
