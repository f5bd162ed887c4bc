/**
 * The rehearsal of one environment against the emulator: apply every stack in cdktf's dependency order, plan again
 * (must converge), apply the update round (adds and updates only), show the data protections holding, destroy in
 * reverse order, and create the secrets again where the environment allows it. Throws a RehearsalError naming the
 * stack, the resource and the error at the first step that fails.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentSpec } from '../constructs/kafka/spec/environment-spec';
import { synthesize } from '../synth/synthesize';
import { createdSecrets, destroyProtectedResources, liftDestroyProtection, recoverableSecrets, secretState } from './data-protections';
import type { Emulator } from './emulator';
import { type EmulatorGap, type StackConfig, gapExplainingError } from './emulator-gaps';
import { cdktfDeploy, cdktfDestroy } from './cdktf-deploy';
import { type StackPlan, applyStacks, applyWithPlannedChanges, destroyStack, ensureEksClusters, ensureStateBuckets, inWaves, initStack, planStack, providerRegion, snapshotStates } from './harness';
import { type PlannedResourceChange, effectiveChanges } from './plan';
import { copyStacks, deploymentWaves, environmentStacks, readManifest, readStackConfig, writeStackOverride } from './stack-copies';
import { RehearsalError, type TerraformSetup, runTerraform } from './terraform';
import { updateRoundSpec } from './update-round';
import { type HeadPlan, type HeadRoot, planHeads } from './head-plans';

export interface StackRehearsal {
  readonly stack: string;
  /** Resources the first apply created. */
  readonly resources: number;
  readonly applySeconds: number;
  /** The second plan: empty, or empty but for the tolerated emulator gaps it names. */
  readonly converged: string;
  /** What the update round did to this stack, e.g. `+6 ~21`, or `–` when it did not touch it. */
  readonly update: string;
  readonly updateSeconds: number;
  readonly destroySeconds: number;
  /** Protections shown to hold, e.g. `2 prevent_destroy`, `1 secret recoverable 30 d`. */
  readonly protections: readonly string[];
}

export interface EnvironmentRehearsal {
  readonly environment: string;
  readonly stacks: readonly StackRehearsal[];
  /** What the update round changed in the spec. */
  readonly updateRound: readonly string[];
  /** Whether the secrets were created again after the destroy, or why not. */
  readonly recreate: string;
  /** Whether apply and destroy ran through `cdktf deploy`/`destroy` (their times are then of the whole command). */
  readonly via: 'terraform' | 'cdktf';
  readonly seconds: number;
  /** The plans of `options.heads` against the applied shipped state, in their order (rehearse/head-plans.ts). */
  readonly heads?: readonly HeadPlan[];
  /** The synth root (under `workDir`) of the shipped spec that was applied: what the heads were planned against. */
  readonly shippedRoot: string;
}

export interface RehearsalOptions {
  readonly emulator: Emulator;
  readonly setup: TerraformSetup;
  /** Every environment of the project (synthesis validates them together). */
  readonly environments: readonly EnvironmentSpec[];
  /** The environment to rehearse. */
  readonly environment: string;
  /** Scratch folder: synth roots and stack copies go below it. */
  readonly workDir: string;
  /** Replace the shipped spec (a planted defect in a test, say). @default - the spec as shipped */
  readonly shippedSpec?: EnvironmentSpec;
  /** Leave the environment applied in the emulator (the update round applied) instead of destroying it. @default false */
  readonly keep?: boolean;
  /**
   * How stacks are applied and destroyed: `cdktf` runs `cdktf deploy` / `cdktf destroy` over the stack copies (the
   * user's path), `terraform` runs Terraform per stack, independent stacks at once (faster, same Terraform runs).
   * @default 'terraform'
   */
  readonly via?: 'terraform' | 'cdktf';
  /** Progress, one line per step. @default - silent */
  readonly onProgress?: (line: string) => void;
  /**
   * Changed synth roots to plan against the applied shipped state right after the convergence step (their differing
   * stacks only; nothing is applied). @default - none
   */
  readonly heads?: readonly HeadRoot[];
}

/** The key prefix under which the heads' state snapshots are kept (same bucket as the states). */
const HEADS_SNAPSHOT = 'rehearsal-heads-snapshot';

function synthRoot(workDir: string, label: string, environments: readonly EnvironmentSpec[], environment: string): string {
  const root = join(workDir, label);
  mkdirSync(root, { recursive: true });
  synthesize({ rootDir: root, environments, only: [environment] });
  return root;
}

function describeChange(change: PlannedResourceChange): string {
  const attributes = change.changedAttributes?.length ? ` (${change.changedAttributes.join(', ')})` : '';
  return `${change.address}: ${change.actions.join('+')}${change.replace ? ' (replace)' : ''}${attributes}`;
}

function countActions(changes: readonly PlannedResourceChange[]): string {
  const effective = effectiveChanges(changes);
  const created = effective.filter((change) => change.actions.includes('create')).length;
  const updated = effective.filter((change) => change.actions.includes('update')).length;
  const parts = [created > 0 ? `+${created}` : '', updated > 0 ? `~${updated}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'no change';
}

/**
 * The verdict on a second plan: `yes`, or `yes, but for <gaps>` when only listed emulator gaps differ. Any other
 * planned change or changed output throws, naming the stack and the first resource.
 */
export function convergence(plan: StackPlan): string {
  const unexpected = effectiveChanges(plan.changes);
  if (unexpected.length > 0 || plan.changedOutputs.length > 0) {
    const what = [...unexpected.map(describeChange), ...plan.changedOutputs.map((output) => `output ${output} changes`)];
    throw new RehearsalError(plan.stack, 'converge (second plan)', unexpected[0]?.address, `the plan after apply is not empty: ${what.join('; ')}`);
  }
  const tolerated = [...new Set(plan.changes.flatMap((change) => change.toleratedGaps ?? []))].sort();
  return tolerated.length > 0 ? `yes, but for ${tolerated.join(', ')}` : 'yes';
}

/**
 * After a stack's destroy: every secret it created is gone, or scheduled for deletion where the configuration gives
 * it a recovery window; returns those reserved by their window. Throws naming the secret otherwise.
 */
async function checkSecretsAfterDestroy(emulator: Emulator, stack: string, config: StackConfig): Promise<{ name: string; days: number }[]> {
  const region = providerRegion(config);
  const windows = new Map(recoverableSecrets(config).map((secret) => [secret.name, secret.days]));
  const reserved: { name: string; days: number }[] = [];
  for (const name of createdSecrets(config)) {
    const state = await secretState(emulator, region, name);
    const expected = windows.has(name) ? 'scheduled-for-deletion' : 'absent';
    if (state !== expected) {
      throw new RehearsalError(stack, 'destroy', `aws_secretsmanager_secret ${name}`, `after the destroy the secret is ${state}, expected ${expected}`);
    }
    if (windows.has(name)) reserved.push({ name, days: windows.get(name)! });
  }
  return reserved;
}

export async function rehearseEnvironment(options: RehearsalOptions): Promise<EnvironmentRehearsal> {
  try {
    return await rehearse(options);
  } finally {
    // Provider processes kept for the environment's stack folders (ProviderPool) end with its rehearsal, failed or not.
    await options.setup.providers?.stopUnder(options.workDir);
  }
}

async function rehearse(options: RehearsalOptions): Promise<EnvironmentRehearsal> {
  const started = performance.now();
  const { emulator, setup, environment } = options;
  const progress = (line: string) => options.onProgress?.(`[${environment}] ${line}`);
  const shippedSpec = options.shippedSpec ?? options.environments.find((spec) => spec.name === environment);
  if (!shippedSpec) throw new Error(`unknown environment ${environment}; known: ${options.environments.map((spec) => spec.name).join(', ')}`);
  const withSpec = (spec: EnvironmentSpec) => options.environments.map((other) => (other.name === environment ? spec : other));
  const round = updateRoundSpec(shippedSpec);
  const shippedRoot = synthRoot(options.workDir, 'shipped', withSpec(shippedSpec), environment);
  const changedRoot = synthRoot(options.workDir, 'changed', withSpec(round.spec), environment);

  const manifest = readManifest(shippedRoot);
  const stacks = environmentStacks(manifest, environment);
  const waves = deploymentWaves(manifest, stacks);
  const configs = Object.fromEntries(stacks.map((stack) => [stack, readStackConfig(shippedRoot, stack)]));
  await ensureStateBuckets(emulator, Object.values(configs));

  // 1. Apply, in cdktf's order.
  // One deployment folder, as a user has one cdktf.out/: the update round writes the changed stacks over it.
  const deployDir = join(options.workDir, 'deploy');
  const dirs = copyStacks(shippedRoot, deployDir, stacks, emulator.endpoint);
  const via = options.via ?? 'terraform';
  progress(`applying ${waves.map((wave) => wave.join(' + ')).join(' → ')}${via === 'cdktf' ? ' with cdktf deploy' : ''}`);
  let applied: Record<string, { added: number; seconds: number }>;
  if (via === 'cdktf') {
    // The EKS cluster is a prerequisite created before `cdktf deploy` runs; the emulator needs no subnets for it.
    for (const stack of stacks) if (configs[stack].resource?.aws_eks_node_group) await ensureEksClusters(emulator, configs[stack], []);
    const deployed = await cdktfDeploy(setup, join(deployDir, 'cdktf.out'), stacks);
    applied = Object.fromEntries(stacks.map((stack) => [stack, { added: deployed.added[stack] ?? 0, seconds: deployed.seconds }]));
    progress(`cdktf deploy: ${stacks.map((stack) => `${stack} ${applied[stack].added} resources`).join(', ')} in ${deployed.seconds.toFixed(1)} s`);
  } else {
    applied = await applyStacks(emulator, setup, shippedRoot, dirs, waves, (stack, result) =>
      progress(`${stack}: applied, ${result.added} resources in ${result.seconds.toFixed(1)} s`),
    );
  }

  // 2. Converge: a second plan of every stack must be empty, but for the listed emulator gaps.
  const converged: Record<string, string> = {};
  await inWaves([stacks], async (stack) => {
    const plan = await planStack(setup, stack, dirs[stack], { onlyShowChanges: true });
    converged[stack] = convergence(plan);
    progress(`${stack}: converged (${converged[stack]}) in ${plan.seconds.toFixed(1)} s`);
  });

  // 2b. Heads: plan each changed output against the converged state (rehearse/head-plans.ts); applies nothing. They
  //     read a snapshot of the states, so they run beside the update round and the destroy instead of before them.
  let headPlansRun: Promise<HeadPlan[]> | undefined;
  if (options.heads?.length) {
    await snapshotStates(emulator, Object.values(configs), HEADS_SNAPSHOT);
    headPlansRun = planHeads({
      emulator,
      setup,
      environment,
      appliedRoot: shippedRoot,
      appliedStacks: stacks,
      heads: options.heads,
      workDir: join(options.workDir, 'heads'),
      onProgress: progress,
      snapshotPrefix: HEADS_SNAPSHOT,
    });
    // Awaited at the end; should a later step fail first, its error is the one reported.
    headPlansRun.catch(() => undefined);
  }

  // 3. Update round: apply the changed spec against the same state, wave by wave; what Terraform planned must add
  //    and update only. One apply per stack (Terraform plans, then applies): a destructive plan fails the rehearsal
  //    all the same, only after the emulator carried it out instead of before.
  const changedManifest = readManifest(changedRoot);
  const changedStacks = environmentStacks(changedManifest, environment);
  const changedWaves = deploymentWaves(changedManifest, changedStacks);
  const changedDirs = copyStacks(changedRoot, deployDir, changedStacks, emulator.endpoint);
  const updates: Record<string, { summary: string; seconds: number }> = {};
  progress(`update round: ${round.changes.join(', ')}`);
  await inWaves(changedWaves, async (stack) => {
    // Same folder, providers and backend as the first apply: only a stack new in the update round needs an init.
    if (!dirs[stack]) await initStack(setup, stack, changedDirs[stack]);
    // No refresh: the second plan just showed that the state matches the emulator.
    const applied = await applyWithPlannedChanges(setup, stack, changedDirs[stack], { refresh: false });
    const destructive = effectiveChanges(applied.changes).filter((change) => change.replace || change.actions.includes('delete'));
    if (destructive.length > 0) {
      throw new RehearsalError(stack, 'update round', destructive[0].address, `the changed spec destroys or replaces: ${destructive.map(describeChange).join('; ')}`);
    }
    let tolerated = '';
    if (applied.error) {
      // The plan was checked; an apply error the gap list explains for every failing resource is the emulator's.
      const { diagnostics } = applied.error;
      const gaps = diagnostics.length > 0
        ? diagnostics.map((diagnostic) => diagnostic.address && gapExplainingError(diagnostic.address, `${diagnostic.summary} ${diagnostic.detail ?? ''}`))
        : [undefined];
      if (gaps.some((gap) => !gap)) throw applied.error;
      tolerated = ` (but for ${[...new Set(gaps.map((gap) => (gap as EmulatorGap).name))].join(', ')})`;
    }
    updates[stack] = { summary: `${countActions(applied.changes)}${tolerated}`, seconds: applied.seconds };
    progress(`${stack}: update round ${updates[stack].summary} in ${updates[stack].seconds.toFixed(1)} s`);
  });

  // What is in the state now is the changed spec: protections and destroy work from its configuration.
  const current = Object.fromEntries(changedStacks.map((stack) => [stack, readStackConfig(changedRoot, stack)]));
  const protections: Record<string, string[]> = Object.fromEntries(changedStacks.map((stack) => [stack, []]));
  const destroyed: Record<string, number> = {};
  let recreate = 'not attempted (--keep)';
  if (!options.keep) {
    // 4. Data protections hold: Terraform refuses to destroy prevent_destroy resources; then lift them, rehearsal only.
    await inWaves([changedStacks], async (stack) => {
      const guarded = destroyProtectedResources(current[stack]);
      if (guarded.length === 0) return;
      const attempt = await runTerraform(setup, changedDirs[stack], ['plan', '-destroy', '-input=false', '-no-color', '-refresh=false']);
      const refused = guarded.filter((address) => attempt.stderr.includes(address) || attempt.stdout.includes(address));
      if (attempt.code === 0 || refused.length !== guarded.length) {
        const missing = guarded.filter((address) => !refused.includes(address));
        throw new RehearsalError(stack, 'destroy protection', missing[0], `Terraform did not refuse to destroy ${missing.join(', ') || 'the stack'} (prevent_destroy)`);
      }
      protections[stack].push(`${guarded.length} prevent_destroy held`);
      writeStackOverride(changedDirs[stack], current[stack], emulator.endpoint, liftDestroyProtection(guarded));
    });

    // 5. Destroy, in reverse order; 6. the secrets: recoverable for their window where the spec asks for one (the
    //    protection holds), gone otherwise; 7. re-create after destroy: a stack that holds secrets is applied again
    //    (and destroyed) right after its own destroy, unless a recovery window reserves the names, as it must in
    //    production. Right after, not after the whole environment: the rest of its destroy goes on meanwhile.
    const recreated: string[] = [];
    const blocked: string[] = [];
    // A secrets stack that reads another stack's outputs is re-created only once the whole environment is gone, as
    // from scratch (the shipped ones read none).
    const deferred: string[] = [];
    const recreateSecrets = async (stack: string) => {
      const recreateStarted = performance.now();
      const again = copyStacks(shippedRoot, join(options.workDir, 'deploy-again'), [stack], emulator.endpoint);
      await applyStacks(emulator, setup, shippedRoot, again, [[stack]]);
      await destroyStack(setup, stack, again[stack]);
      recreated.push(`${stack} created again and destroyed in ${((performance.now() - recreateStarted) / 1000).toFixed(1)} s`);
      progress(`re-create: ${recreated[recreated.length - 1]}`);
    };
    const afterDestroy = async (stack: string) => {
      const reserved = await checkSecretsAfterDestroy(emulator, stack, current[stack]);
      for (const { name, days } of reserved) protections[stack].push(`secret ${name} recoverable for ${days} d`);
      blocked.push(...reserved.map((secret) => secret.name));
      if (!stacks.includes(stack) || createdSecrets(configs[stack]).length === 0 || reserved.length > 0) return;
      if (manifest.stacks[stack].dependencies.some((dependency) => stacks.includes(dependency))) deferred.push(stack);
      else await recreateSecrets(stack);
    };
    if (via === 'cdktf') {
      const result = await cdktfDestroy(setup, join(deployDir, 'cdktf.out'), changedStacks);
      for (const stack of changedStacks) destroyed[stack] = result.seconds;
      progress(`cdktf destroy: ${changedStacks.join(', ')} in ${result.seconds.toFixed(1)} s`);
      await inWaves([changedStacks], afterDestroy);
    } else {
      await inWaves([...changedWaves].reverse(), async (stack) => {
        const result = await destroyStack(setup, stack, changedDirs[stack]);
        destroyed[stack] = result.seconds;
        progress(`${stack}: destroyed ${result.destroyed} resources in ${result.seconds.toFixed(1)} s`);
        await afterDestroy(stack);
      });
    }
    await inWaves(deploymentWaves(manifest, deferred), recreateSecrets);
    if (blocked.length > 0) recreate = `blocked by the recovery window of ${blocked.sort().join(', ')} (as configured)`;
    else recreate = recreated.length > 0 ? recreated.join('; ') : 'no secrets to re-create';
  }

  const headPlans = headPlansRun ? await headPlansRun : undefined;

  const all = [...new Set([...stacks, ...changedStacks])];
  return {
    environment,
    shippedRoot,
    ...(headPlans ? { heads: headPlans } : {}),
    via,
    updateRound: round.changes,
    recreate,
    seconds: (performance.now() - started) / 1000,
    stacks: all.map((stack) => ({
      stack,
      resources: applied[stack]?.added ?? 0,
      applySeconds: applied[stack]?.seconds ?? 0,
      converged: converged[stack] ?? '– (new in the update round)',
      update: updates[stack]?.summary ?? '–',
      updateSeconds: updates[stack]?.seconds ?? 0,
      destroySeconds: destroyed[stack] ?? 0,
      protections: protections[stack] ?? [],
    })),
  };
}
