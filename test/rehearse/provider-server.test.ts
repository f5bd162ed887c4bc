/**
 * One AWS provider process per Terraform command (rehearse/terraform.ts): for a command that starts providers, the
 * runner starts the installed provider in debug-serving mode, hands Terraform its reattach line and stops it after
 * the command; commands that start no provider, or a setup that asks for Terraform's own per-phase starts, run
 * Terraform alone. With a ProviderPool, the commands of one stack folder share a process, one command at a time.
 * Stand-ins for both binaries (fixtures/provider-server/) keep this a unit test.
 */
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processRunning } from '../../rehearse/emulator';
import { AWS_PROVIDER_VERSION, providerBinaryIn } from '../../rehearse/provider-mirror';
import { ProviderPool, type TerraformSetup, runTerraform } from '../../rehearse/terraform';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

const fixtures = join(__dirname, 'fixtures', 'provider-server');

/** A stack folder with the stand-in provider where `terraform init` installs the real one, and a stand-in terraform. */
function stackWithProvider(): { dir: string; setup: (overrides?: Partial<TerraformSetup>, env?: NodeJS.ProcessEnv) => TerraformSetup } {
  const dir = makeTempDir('provider-server-');
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const providerDir = join(dir, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER_VERSION, platform);
  mkdirSync(providerDir, { recursive: true });
  copyFileSync(join(fixtures, 'terraform-provider-aws.sh'), join(providerDir, `terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5`));
  chmodSync(join(providerDir, `terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5`), 0o755);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  copyFileSync(join(fixtures, 'terraform.sh'), join(bin, 'terraform'));
  chmodSync(join(bin, 'terraform'), 0o755);
  return {
    dir,
    setup: (overrides = {}, env = {}) => ({
      cliConfig: join(dir, 'terraform.rc'),
      env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` },
      parallelism: 1,
      providerPerCommand: true,
      ...overrides,
    }),
  };
}

/** The provider process a stand-in terraform run was attached to, from the reattach line it printed. */
function attached(stdout: string): { Pid: number; Binary: string } {
  const reattach = /^\w+ (\{.*\})$/m.exec(stdout);
  if (!reattach) throw new Error(`no reattach line in ${stdout}`);
  return (JSON.parse(reattach[1]) as Record<string, { Pid: number; Binary: string }>)['registry.terraform.io/hashicorp/aws'];
}

it('attaches a plan to a provider process of its own and stops that process afterwards', async () => {
  const stack = stackWithProvider();
  const { Pid: pid } = attached((await runTerraform(stack.setup(), stack.dir, ['plan', '-input=false'])).stdout);
  expect(pid).toBeGreaterThan(0);
  expect(processRunning(pid)).toBe(false);
});

it('gives each command a provider process of its own', async () => {
  const stack = stackWithProvider();
  const [first, second] = await Promise.all([
    runTerraform(stack.setup(), stack.dir, ['apply', '-auto-approve']),
    runTerraform(stack.setup(), stack.dir, ['destroy', '-auto-approve']),
  ]);
  expect(first.stdout).toMatch(/^apply \{/);
  expect(second.stdout).toMatch(/^destroy \{/);
  expect(first.stdout.slice('apply '.length)).not.toBe(second.stdout.slice('destroy '.length));
});

it('starts no provider for a command that needs none, or when the setup leaves it to Terraform', async () => {
  const stack = stackWithProvider();
  expect((await runTerraform(stack.setup(), stack.dir, ['init', '-input=false'])).stdout).toBe('init none\n');
  expect((await runTerraform(stack.setup({ providerPerCommand: false }), stack.dir, ['plan'])).stdout).toBe('plan none\n');
  // Before `terraform init` there is no installed provider to start: Terraform alone says what is missing.
  const uninitialised = makeTempDir('provider-server-empty-');
  expect((await runTerraform(stack.setup(), uninitialised, ['plan'])).stdout).toBe('plan none\n');
});

it('with the provider binary named, attaches every command to it and lets `terraform init` install none', async () => {
  const stack = stackWithProvider();
  const elsewhere = join(makeTempDir('provider-server-mirror-'), `terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5`);
  copyFileSync(join(fixtures, 'terraform-provider-aws.sh'), elsewhere);
  chmodSync(elsewhere, 0o755);
  const setup = stack.setup({ providerBinary: elsewhere });
  // init: the provider counts as attached, so Terraform installs nothing; no process is started for it.
  const init = /^init (\{.*\})$/m.exec((await runTerraform(setup, stack.dir, ['init', '-input=false'])).stdout);
  expect(init).not.toBeNull();
  expect(Object.keys(JSON.parse(init![1]) as object)).toEqual(['registry.terraform.io/hashicorp/aws']);
  // plan: attached to a process of the named binary, not of the one installed in the stack's folder.
  expect(attached((await runTerraform(setup, stack.dir, ['plan'])).stdout).Binary).toBe(elsewhere);
});

it('fails clearly when the provider exits before serving', async () => {
  const stack = stackWithProvider();
  await expect(runTerraform(stack.setup({}, { FAKE_PROVIDER_MODE: 'exit' }), stack.dir, ['plan'])).rejects.toThrow(
    /the AWS provider \(.+terraform-provider-aws_v5\.100\.0_x5\) exited before serving: provider failed to start/,
  );
});

/** The PID of the provider process a stand-in terraform run was attached to. */
const attachedPid = (stdout: string): number => attached(stdout).Pid;

describe('with a provider pool', () => {
  it('runs the commands of one folder on one provider process, until stopUnder ends it', async () => {
    const stack = stackWithProvider();
    const setup = stack.setup({ providers: new ProviderPool() });
    const pids: number[] = [];
    for (const command of ['apply', 'plan', 'show', 'destroy']) pids.push(attachedPid((await runTerraform(setup, stack.dir, [command])).stdout));
    expect(new Set(pids).size).toBe(1);
    expect(processRunning(pids[0])).toBe(true);
    expect(setup.providers!.keptPids()).toEqual([pids[0]]);
    await setup.providers!.stopUnder(stack.dir);
    expect(processRunning(pids[0])).toBe(false);
    expect(setup.providers!.keptPids()).toEqual([]);
    // The next command of the folder starts a fresh process.
    const next = attachedPid((await runTerraform(setup, stack.dir, ['plan'])).stdout);
    expect(next).not.toBe(pids[0]);
    await setup.providers!.stopUnder(stack.dir);
  });

  it('gives a command that finds the process busy one of its own, stopped after it; the kept one stays', async () => {
    const stack = stackWithProvider();
    const setup = stack.setup({ providers: new ProviderPool() });
    const [first, second] = (await Promise.all([runTerraform(setup, stack.dir, ['apply']), runTerraform(setup, stack.dir, ['plan'])])).map((result) => attachedPid(result.stdout));
    expect(first).not.toBe(second);
    expect([first, second].filter(processRunning)).toHaveLength(1);
    const kept = processRunning(first) ? first : second;
    expect(attachedPid((await runTerraform(setup, stack.dir, ['plan'])).stdout)).toBe(kept);
    await setup.providers!.stopUnder(stack.dir);
    expect(processRunning(kept)).toBe(false);
  });

  it('replaces a kept process that has gone, and stops only the folders at or below the one named', async () => {
    const stack = stackWithProvider();
    // A folder whose path starts with the first one's: stopUnder must tell them apart.
    const sibling = `${stack.dir}-2`;
    mkdirSync(sibling);
    try {
      // Both folders attach to the stand-in installed in the first one.
      const setup = stack.setup({ providers: new ProviderPool(), providerBinary: providerBinaryIn(join(stack.dir, '.terraform', 'providers')) });
      const gone = attachedPid((await runTerraform(setup, stack.dir, ['plan'])).stdout);
      process.kill(gone, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const replacement = attachedPid((await runTerraform(setup, stack.dir, ['plan'])).stdout);
      expect(replacement).not.toBe(gone);
      const other = attachedPid((await runTerraform(setup, sibling, ['plan'])).stdout);
      await setup.providers!.stopUnder(stack.dir);
      expect(processRunning(replacement)).toBe(false);
      expect(processRunning(other)).toBe(true);
      await setup.providers!.stopUnder(sibling);
      expect(processRunning(other)).toBe(false);
    } finally {
      rmSync(sibling, { recursive: true, force: true });
    }
  });
});
