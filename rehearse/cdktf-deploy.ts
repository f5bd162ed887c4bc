/**
 * The user's own path: `cdktf deploy` / `cdktf destroy` (cdktf-cli 0.21) over a copy of the synthesized output.
 * cdktf runs `terraform init` and `terraform apply -auto-approve` in each `<output>/stacks/<stack>/`, in dependency
 * order, so the override file beside each copied stack and the rehearsal's environment (mirror CLI config, test
 * credentials) reach Terraform exactly as they would for a user. The differences from `npx cdktf deploy <stacks>`:
 * `--skip-synth --output <copy>` (the output is synthesized beforehand, into a copy, instead of by the CLI into
 * cdktf.out/), and `--skip-provider-lock` (`terraform providers lock` would ask the registry; the offline mirror
 * already pins the provider in `.terraform.lock.hcl`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RehearsalError, type TerraformSetup, runProcess } from './terraform';

/** The repository root: where cdktf.json and node_modules/.bin/cdktf are. */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'cdktf.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('cdktf.json not found above the rehearse folder');
  }
}

export function cdktfCli(): string {
  return resolve(repositoryRoot(), 'node_modules', '.bin', 'cdktf');
}

async function run(setup: TerraformSetup, args: readonly string[]): Promise<{ code: number; output: string }> {
  const result = await runProcess(cdktfCli(), args, repositoryRoot(), { ...setup.env, CI: '1', FORCE_COLOR: '0' });
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

/** The stack cdktf blames and the resource Terraform names in its error (`with aws_subnet.x,`). */
function failure(stacks: readonly string[], step: string, output: string): RehearsalError {
  const errorLine = output.split('\n').find((line) => /Error:/.test(line));
  const stack = stacks.find((name) => errorLine?.includes(name)) ?? stacks.find((name) => new RegExp(`${name}\\s.*Error`).test(output)) ?? stacks.join(', ');
  const resource = /with ([a-z0-9_]+\.[^,\s]+),/.exec(output)?.[1];
  const reason = output
    .split('\n')
    .filter((line) => /Error|error/.test(line))
    .slice(0, 10)
    .join('\n')
    .trim();
  return new RehearsalError(stack, step, resource, reason || output.split('\n').slice(-20).join('\n'));
}

/** Resources each stack's apply added, from Terraform's `Apply complete! Resources: N added` as cdktf prints it. */
function addedPerStack(stacks: readonly string[], output: string): Record<string, number> {
  const added: Record<string, number> = {};
  for (const line of output.split('\n')) {
    const match = /Apply complete! Resources: (\d+) added/.exec(line);
    const stack = match && stacks.find((name) => line.includes(name));
    if (match && stack) added[stack] = Number(match[1]);
  }
  return added;
}

/** `cdktf <command> <stacks> --skip-synth --output <out> --auto-approve`, failing with the stacks named. */
async function runOnStacks(setup: TerraformSetup, command: 'deploy' | 'destroy', outDir: string, stacks: readonly string[]): Promise<{ output: string; seconds: number }> {
  const started = performance.now();
  const result = await run(setup, [
    command,
    ...stacks,
    '--skip-synth',
    `--output=${outDir}`,
    '--auto-approve',
    '--skip-provider-lock',
    `--terraform-parallelism=${setup.parallelism}`,
    '--no-color',
  ]);
  if (result.code !== 0) throw failure(stacks, `cdktf ${command}`, result.output);
  return { output: result.output, seconds: (performance.now() - started) / 1000 };
}

/** `cdktf deploy`: every stack, in cdktf's order. */
export async function cdktfDeploy(setup: TerraformSetup, outDir: string, stacks: readonly string[]): Promise<{ added: Record<string, number>; seconds: number }> {
  const { output, seconds } = await runOnStacks(setup, 'deploy', outDir, stacks);
  return { added: addedPerStack(stacks, output), seconds };
}

/** `cdktf destroy`: in reverse dependency order. */
export async function cdktfDestroy(setup: TerraformSetup, outDir: string, stacks: readonly string[]): Promise<{ seconds: number }> {
  const { seconds } = await runOnStacks(setup, 'destroy', outDir, stacks);
  return { seconds };
}
