/**
 * The reusable rehearsal harness: apply a synthesized output to the emulator, plan another output against that state,
 * and read the plan as data. The rehearsal (rehearse/rehearsal.ts) and the pull-request review's checks build on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, EMULATOR_ACCOUNT_ID, createStateBucket, emulatorRequest } from './emulator';
import type { StackConfig } from './emulator-gaps';
import { type PlanJson, type PlannedResourceChange, changedOutputs, plannedChanges, streamedChanges } from './plan';
import { copyStacks, deploymentWaves, environmentStacks, readManifest, readStackConfig } from './stack-copies';
import { RehearsalError, type TerraformSetup, changeSummary, failOnError, runTerraform, terraformSetup } from './terraform';

export { type Emulator, startEmulator } from './emulator';
export type { PlanAction, PlannedResourceChange } from './plan';

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}

/** `terraform init` against the emulator's S3 backend; the provider comes from the mirror. */
export async function initStack(setup: TerraformSetup, stack: string, dir: string): Promise<void> {
  failOnError(stack, 'init', await runTerraform(setup, dir, ['init', '-input=false', '-no-color']), false);
}

/** `terraform apply` of the stack's configuration; returns the resources it added and the time it took. */
export async function applyStack(setup: TerraformSetup, stack: string, dir: string): Promise<{ added: number; changed: number; seconds: number }> {
  const started = performance.now();
  const result = await runTerraform(setup, dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-json', `-parallelism=${setup.parallelism}`]);
  failOnError(stack, 'apply', result, true);
  const summary = changeSummary(result.stdout);
  return { added: summary?.add ?? 0, changed: summary?.change ?? 0, seconds: seconds(started) };
}

/**
 * `terraform apply` in one run (Terraform plans, then applies that plan): returns the changes Terraform planned, read
 * from its `-json` stream, and the error it ended with, if any, instead of throwing, so the caller can judge the plan
 * even when the emulator failed part of the apply. One run instead of `plan -out` + `apply <plan>` saves the
 * provider's start-up and schema load of a second command.
 */
export async function applyWithPlannedChanges(
  setup: TerraformSetup,
  stack: string,
  dir: string,
  options: { refresh?: boolean } = {},
): Promise<{ changes: PlannedResourceChange[]; error?: RehearsalError; seconds: number }> {
  const started = performance.now();
  const args = ['apply', '-auto-approve', '-input=false', '-no-color', '-json', `-parallelism=${setup.parallelism}`];
  if (options.refresh === false) args.push('-refresh=false');
  const result = await runTerraform(setup, dir, args);
  const changes = streamedChanges(result.stdout);
  try {
    failOnError(stack, 'apply', result, true);
    return { changes, seconds: seconds(started) };
  } catch (error) {
    if (!(error instanceof RehearsalError)) throw error;
    return { changes, error, seconds: seconds(started) };
  }
}

export interface StackPlan {
  readonly stack: string;
  /** Every resource's planned change, emulator artifacts taken out. */
  readonly changes: PlannedResourceChange[];
  /** Outputs whose value would change. */
  readonly changedOutputs: string[];
  /** The saved plan (`terraform apply <planFile>` applies exactly what was planned). */
  readonly planFile: string;
  /** Terraform's own verdict (-detailed-exitcode): false when it planned no change at all. */
  readonly terraformPlannedChanges: boolean;
  readonly seconds: number;
}

/**
 * `terraform plan -detailed-exitcode -out=...`, read back with `terraform show -json`. With `onlyShowChanges`, an
 * empty plan is not shown (saves a Terraform run) and its change list is empty; with `actionsOnly`, no plan is shown
 * and the changes (actions, no attributes, no emulator gaps taken out) come from the plan's own `-json` stream.
 */
export async function planStack(
  setup: TerraformSetup,
  stack: string,
  dir: string,
  options: { destroy?: boolean; onlyShowChanges?: boolean; refresh?: boolean; actionsOnly?: boolean; lock?: boolean } = {},
): Promise<StackPlan> {
  const started = performance.now();
  const planFile = options.destroy ? 'rehearsal-destroy.tfplan' : 'rehearsal.tfplan';
  const args = ['plan', '-input=false', '-no-color', '-json', '-detailed-exitcode', `-parallelism=${setup.parallelism}`, `-out=${planFile}`];
  if (options.destroy) args.push('-destroy');
  if (options.refresh === false) args.push('-refresh=false');
  // Only for plans that are never applied: several may then read one state at the same time.
  if (options.lock === false) args.push('-lock=false');
  const result = await runTerraform(setup, dir, args);
  // -detailed-exitcode: 0 = no changes, 2 = changes; anything else is an error.
  if (result.code !== 0 && result.code !== 2) failOnError(stack, options.destroy ? 'plan -destroy' : 'plan', result, true);
  const terraformPlannedChanges = result.code === 2;
  if (!terraformPlannedChanges && options.onlyShowChanges) {
    return { stack, changes: [], changedOutputs: [], planFile: join(dir, planFile), terraformPlannedChanges, seconds: seconds(started) };
  }
  if (options.actionsOnly) {
    // What Terraform streamed while planning says each resource's action; attributes would need `terraform show`.
    return { stack, changes: streamedChanges(result.stdout), changedOutputs: [], planFile: join(dir, planFile), terraformPlannedChanges, seconds: seconds(started) };
  }
  const shown = await runTerraform(setup, dir, ['show', '-json', '-no-color', planFile]);
  failOnError(stack, 'show', shown, false);
  const plan = JSON.parse(shown.stdout) as PlanJson;
  return { stack, changes: plannedChanges(plan), changedOutputs: changedOutputs(plan), planFile: join(dir, planFile), terraformPlannedChanges, seconds: seconds(started) };
}

/**
 * `terraform destroy`. Without a refresh (the state was just shown to match the emulator), which saves a read of
 * every resource; Terraform still reads the data sources and deletes what its state holds.
 */
export async function destroyStack(setup: TerraformSetup, stack: string, dir: string): Promise<{ destroyed: number; seconds: number }> {
  const started = performance.now();
  const result = await runTerraform(setup, dir, ['destroy', '-auto-approve', '-input=false', '-no-color', '-json', '-refresh=false', `-parallelism=${setup.parallelism}`]);
  // The folder's last command: its kept provider process (ProviderPool) ends with it.
  await setup.providers?.stopUnder(dir);
  failOnError(stack, 'destroy', result, true);
  return { destroyed: changeSummary(result.stdout)?.remove ?? 0, seconds: seconds(started) };
}

/** The state bucket of every stack (name and region from its S3 backend), created once. */
export async function ensureStateBuckets(emulator: Emulator, configs: readonly StackConfig[]): Promise<void> {
  const buckets = new Map<string, string>();
  for (const config of configs) {
    const backend = config.terraform?.backend?.s3 as { bucket?: string; region?: string } | undefined;
    if (backend?.bucket) buckets.set(backend.bucket, backend.region ?? 'us-east-1');
  }
  for (const [bucket, region] of buckets) await createStateBucket(emulator, bucket, region);
}

/** Where `snapshotStates` copies a state object: under `<prefix>/`, same bucket. */
function snapshotKey(prefix: string, key: string): string {
  return `${prefix}/${key}`;
}

/**
 * Copies the state object of every stack (its S3 backend's bucket and key) to `snapshotKey(prefix, key)` in the
 * emulator, so plans can read the environment as it is now while the rehearsal goes on changing it.
 */
export async function snapshotStates(emulator: Emulator, configs: readonly StackConfig[], prefix: string): Promise<void> {
  for (const config of configs) {
    const backend = config.terraform?.backend?.s3 as { bucket?: string; key?: string; region?: string } | undefined;
    if (!backend?.bucket || !backend.key) continue;
    await emulatorRequest(emulator, {
      service: 's3',
      region: backend.region ?? 'us-east-1',
      method: 'PUT',
      path: `/${backend.bucket}/${snapshotKey(prefix, backend.key)}`,
      headers: { 'x-amz-copy-source': `/${backend.bucket}/${backend.key}` },
    });
  }
}

/**
 * The override fragment that points a stack's backend and every `terraform_remote_state` it reads at the snapshots
 * `snapshotStates(…, prefix)` took (same bucket, prefixed key).
 */
export function readFromSnapshots(config: StackConfig, prefix: string): Record<string, unknown> {
  const backend = config.terraform?.backend?.s3 as { key?: string } | undefined;
  const remoteStates = config.data?.terraform_remote_state ?? {};
  const names = Object.keys(remoteStates);
  return {
    ...(backend?.key ? { terraform: { backend: { s3: { key: snapshotKey(prefix, backend.key) } } } } : {}),
    ...(names.length > 0
      ? { data: { terraform_remote_state: Object.fromEntries(names.map((name) => [name, { config: { key: snapshotKey(prefix, String(remoteStates[name].config.key)) } }])) } }
      : {}),
  };
}

/** The region of a stack's AWS provider. */
export function providerRegion(config: StackConfig): string {
  const provider = (config.provider?.aws as { region?: string }[] | undefined)?.[0];
  return provider?.region ?? 'us-east-1';
}

/**
 * The documented prerequisite of a nodes stack (docs/aws.md): the EKS cluster its node groups join, created in the
 * emulator when missing, in the given subnets (the `<env>-network` VPC's, as the docs require).
 */
export async function ensureEksClusters(emulator: Emulator, config: StackConfig, subnetIds: readonly string[]): Promise<string[]> {
  const clusters = new Set(
    Object.values(config.resource?.aws_eks_node_group ?? {})
      .map((group) => group.cluster_name)
      .filter((name): name is string => typeof name === 'string'),
  );
  const region = providerRegion(config);
  for (const cluster of clusters) {
    if (cluster.includes('${')) throw new Error(`EKS node groups join cluster "${cluster}", a Terraform reference: the rehearsal can only create a named cluster`);
    const existing = await fetch(`${emulator.endpoint}/clusters/${cluster}`, {
      headers: { Authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/eks/aws4_request, SignedHeaders=host, Signature=0` },
    });
    await existing.arrayBuffer();
    if (existing.ok) continue;
    await emulatorRequest(emulator, {
      service: 'eks',
      region,
      method: 'POST',
      path: '/clusters',
      contentType: 'application/json',
      body: JSON.stringify({
        name: cluster,
        roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/${cluster}-cluster`,
        resourcesVpcConfig: { subnetIds: [...subnetIds] },
      }),
    });
  }
  // IRSA needs the cluster's OIDC identity provider in IAM (created with the cluster, as docs/aws.md asks).
  for (const cluster of clusters) await ensureOidcProvider(emulator, cluster, region);
  return [...clusters];
}

async function ensureOidcProvider(emulator: Emulator, cluster: string, region: string): Promise<void> {
  const described = JSON.parse(await emulatorRequest(emulator, { service: 'eks', region, method: 'GET', path: `/clusters/${cluster}` })) as {
    cluster?: { identity?: { oidc?: { issuer?: string } } };
  };
  const issuer = described.cluster?.identity?.oidc?.issuer;
  if (!issuer) return;
  const query = new URLSearchParams({ Action: 'CreateOpenIDConnectProvider', Version: '2010-05-08', Url: issuer, 'ClientIDList.member.1': 'sts.amazonaws.com', 'ThumbprintList.member.1': '9e99a48a9960b14926bb7f3b02e22da2b0ab7280' });
  try {
    await emulatorRequest(emulator, { service: 'iam', region: 'us-east-1', method: 'POST', path: '/', contentType: 'application/x-www-form-urlencoded', body: query.toString() });
  } catch (error) {
    // A second environment of the same cluster finds it there already.
    if (!String(error).includes('EntityAlreadyExists')) throw error;
  }
}

/** The subnet ids a stack's dependencies export as `private_subnet_ids` (read from their state). */
export async function dependencySubnets(setup: TerraformSetup, dirs: readonly string[]): Promise<string[]> {
  const subnets: string[] = [];
  for (const dir of dirs) {
    const result = await runTerraform(setup, dir, ['output', '-json', '-no-color']);
    if (result.code !== 0) continue;
    const outputs = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    const value = outputs.private_subnet_ids?.value;
    if (value && typeof value === 'object') subnets.push(...Object.values(value as Record<string, string>));
  }
  return subnets;
}

/** Runs `task` for every stack of every wave: the stacks of a wave at the same time, the waves in order. */
export async function inWaves<T>(waves: readonly (readonly string[])[], task: (stack: string) => Promise<T>): Promise<Record<string, T>> {
  const results: Record<string, T> = {};
  for (const wave of waves) {
    const settled = await Promise.allSettled(wave.map(async (stack) => [stack, await task(stack)] as const));
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    for (const result of settled) if (result.status === 'fulfilled') results[result.value[0]] = result.value[1];
    if (failure) throw failure.reason;
  }
  return results;
}

/** Applies stacks in dependency order (independent ones at once), creating the EKS prerequisite on the way. */
export async function applyStacks(
  emulator: Emulator,
  setup: TerraformSetup,
  synthRoot: string,
  dirs: Readonly<Record<string, string>>,
  waves: readonly (readonly string[])[],
  onApplied?: (stack: string, result: { added: number; seconds: number }) => void,
): Promise<Record<string, { added: number; seconds: number }>> {
  const manifest = readManifest(synthRoot);
  return inWaves(waves, async (stack) => {
    const config = readStackConfig(synthRoot, stack);
    if (config.resource?.aws_eks_node_group) {
      const dependencies = manifest.stacks[stack].dependencies.filter((dependency) => dirs[dependency]).map((dependency) => dirs[dependency]);
      await ensureEksClusters(emulator, config, await dependencySubnets(setup, dependencies));
    }
    await initStack(setup, stack, dirs[stack]);
    const result = await applyStack(setup, stack, dirs[stack]);
    onApplied?.(stack, result);
    return result;
  });
}

export interface PlanChangeOptions {
  readonly emulator: Emulator;
  /** A synth root (holding cdktf.out/) of what is deployed now. */
  readonly baseRoot: string;
  /** A synth root of the proposed change. */
  readonly headRoot: string;
  readonly environment: string;
  /** Only these stacks (with their dependencies applied first). @default - every stack of the environment */
  readonly stacks?: readonly string[];
  /** Scratch folder for stack copies and Terraform's files. @default - a temporary folder, removed afterwards */
  readonly workDir?: string;
  /** Destroy the applied base stacks after planning, so the emulator can take the environment again. @default false */
  readonly destroyAfterwards?: boolean;
}

/**
 * Applies every stack of `environment` from `baseRoot` (a synth root holding cdktf.out/), then plans the same stacks
 * from `headRoot` against that state; returns the planned changes per stack name (from `terraform show -json`),
 * with the emulator's known artifacts (EMULATOR_GAPS) taken out. One environment at a time per emulator: state keys
 * and resource names are the environment's own.
 */
export async function planChange(options: PlanChangeOptions): Promise<Record<string, PlannedResourceChange[]>> {
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'rehearse-plan-'));
  const setup = terraformSetup(join(workDir, 'terraform'), options.emulator.endpoint);
  try {
    const baseManifest = readManifest(options.baseRoot);
    const headManifest = readManifest(options.headRoot);
    const wanted = options.stacks ? environmentStacks(headManifest, options.environment, options.stacks) : environmentStacks(headManifest, options.environment);
    // The base must provide what the wanted stacks depend on; a stack new in head has no base to apply.
    const baseStacks = environmentStacks(baseManifest, options.environment).filter(
      (stack) => wanted.includes(stack) || wanted.some((head) => (headManifest.stacks[head]?.dependencies ?? []).includes(stack)),
    );
    await ensureStateBuckets(options.emulator, [...baseStacks.map((stack) => readStackConfig(options.baseRoot, stack)), ...wanted.map((stack) => readStackConfig(options.headRoot, stack))]);
    const baseDirs = copyStacks(options.baseRoot, join(workDir, 'base'), baseStacks, options.emulator.endpoint);
    const baseWaves = deploymentWaves(baseManifest, baseStacks);
    await applyStacks(options.emulator, setup, options.baseRoot, baseDirs, baseWaves);
    const headDirs = copyStacks(options.headRoot, join(workDir, 'head'), wanted, options.emulator.endpoint);
    const plans = await inWaves(deploymentWaves(headManifest, wanted), async (stack) => {
      const config = readStackConfig(options.headRoot, stack);
      if (config.resource?.aws_eks_node_group) await ensureEksClusters(options.emulator, config, await dependencySubnets(setup, Object.values(baseDirs)));
      await initStack(setup, stack, headDirs[stack]);
      return planStack(setup, stack, headDirs[stack]);
    });
    if (options.destroyAfterwards) {
      await inWaves([...baseWaves].reverse(), (stack) => destroyStack(setup, stack, baseDirs[stack]));
    }
    return Object.fromEntries(wanted.map((stack) => [stack, plans[stack].changes]));
  } finally {
    await setup.providers?.stopUnder(workDir);
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}
