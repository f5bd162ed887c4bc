/**
 * Offline `terraform validate` of synthesized stacks against the real hashicorp/aws provider.
 *
 * The provider comes from a filesystem mirror found on disk (or named by TF_PROVIDER_MIRROR), never from the
 * network. Every stack is mounted as a module of one scratch root, so one `terraform init` (which installs no
 * provider: rehearse/terraform.ts) and one provider process serve all stacks.
 *
 * Terraform runs attached to one provider process (rehearse/terraform.ts: validate configures no provider, so every
 * stack's provider configuration can share it) that hands Terraform the schemas of the resource and data source
 * types the stacks use (rehearse/provider-schema-proxy.ts): the provider's whole schema, ~2,100 types, costs
 * Terraform ~2 s of CPU to decode and check, and Terraform validates each resource against its type's schema, which
 * the trimmed one holds complete. A type the provider does not have is missing from both, and fails as it would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_PROVIDER_VERSION, findProviderMirror, providerBinaryIn, writeMirrorCliConfig } from '../../rehearse/provider-mirror';
import { PROVIDER_GOGC, type TerraformSetup, runTerraform } from '../../rehearse/terraform';

export { AWS_PROVIDER_VERSION, findProviderMirror } from '../../rehearse/provider-mirror';

export function terraformVersion(): string | undefined {
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: terraformEnv('/dev/null') });
  if (result.status !== 0) return undefined;
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

/** Why terraform validation cannot run here, or undefined when it can. */
export function terraformUnavailableReason(): string | undefined {
  if (!terraformVersion()) return 'the terraform CLI is not on PATH';
  if (!findProviderMirror()) {
    return `no filesystem mirror of hashicorp/aws ${AWS_PROVIDER_VERSION} found (set TF_PROVIDER_MIRROR to the folder holding registry.terraform.io/)`;
  }
  return undefined;
}

/**
 * Terraform's and the provider's environment, with the rehearsal's lazier garbage collector (PROVIDER_GOGC):
 * validate.test ~15.5 s of CPU instead of ~18.5 s (measured).
 */
function terraformEnv(cliConfig: string): NodeJS.ProcessEnv {
  return { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', GOGC: process.env.GOGC ?? PROVIDER_GOGC };
}

export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly stack?: string;
}

/**
 * Validates every `<stacksDir>/<stack>/cdk.tf.json` and returns each stack's diagnostics.
 * Backends are dropped (validation is offline); everything else is validated as synthesized.
 */
export async function validateTerraformStacks(stacksDir: string): Promise<Map<string, TerraformDiagnostic[]>> {
  const mirror = findProviderMirror();
  if (!mirror) throw new Error(terraformUnavailableReason());
  const work = mkdtempSync(join(tmpdir(), 'tf-validate-'));
  try {
    const cliConfig = join(work, 'terraform.rc');
    writeMirrorCliConfig(cliConfig, mirror);
    const stacks = readdirSync(stacksDir).filter((name) => existsSync(join(stacksDir, name, 'cdk.tf.json'))).sort();
    const root = join(work, 'root');
    mkdirSync(root);
    const modules: Record<string, { source: string }> = {};
    const types = new Set<string>();
    for (const stack of stacks) {
      const config = JSON.parse(readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8'));
      delete config.terraform?.backend;
      for (const type of [...Object.keys(config.resource ?? {}), ...Object.keys(config.data ?? {})]) types.add(type);
      mkdirSync(join(root, stack));
      writeFileSync(join(root, stack, 'main.tf.json'), JSON.stringify(config));
      modules[stack] = { source: `./${stack}` };
    }
    writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module: modules }));
    const setup: TerraformSetup = { cliConfig, env: terraformEnv(cliConfig), parallelism: 1, providerPerCommand: true, providerBinary: providerBinaryIn(mirror), schemaTypes: types };
    const init = await runTerraform(setup, root, ['init', '-backend=false', '-input=false', '-no-color']);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stderr}${init.stdout}`);
    const result = await runTerraform(setup, root, ['validate', '-json', '-no-color']);
    const report = JSON.parse(result.stdout) as {
      diagnostics: { severity: 'error' | 'warning'; summary: string; detail?: string; range?: { filename: string } }[];
    };
    const byStack = new Map<string, TerraformDiagnostic[]>(stacks.map((stack) => [stack, []]));
    for (const diagnostic of report.diagnostics) {
      const stack = stacks.find((name) => diagnostic.range?.filename.startsWith(`${name}/`));
      // Legacy-provider warnings come from mounting stacks as modules, not from the stacks themselves.
      if (diagnostic.severity === 'warning' && /provider configuration|legacy/i.test(`${diagnostic.summary} ${diagnostic.detail}`)) continue;
      const entry = { severity: diagnostic.severity, summary: diagnostic.summary, detail: diagnostic.detail, stack };
      byStack.get(stack ?? stacks[0])?.push(entry);
    }
    return byStack;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
