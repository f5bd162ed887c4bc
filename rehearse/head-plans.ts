/**
 * Plans of changed outputs ("heads") against an environment the rehearsal has just applied and shown to converge:
 * what Terraform and the real provider would do to that state, per stack, without applying anything. The pull-request
 * review's replacement predictions are checked against these (test/rehearse/environments.test.ts).
 *
 * Only stacks whose `cdk.tf.json` differs from the applied one are planned: an identical configuration against a
 * converged state plans nothing (the convergence step just showed it). Each head gets its own copy of its stacks
 * (same S3 backend, so the same state), `terraform init`, then `terraform plan -refresh=false` (the state was just
 * shown to match the emulator), and the actions come from the plan's own `-json` stream: one Terraform run per stack
 * besides the init. The deployment folder the rest of the rehearsal uses is not touched. With a snapshot of the
 * states (`snapshotStates`), the heads read those copies and can be planned while the rehearsal updates and destroys
 * the environment: with `-refresh=false` a plan reads nothing of the environment but its state (its data sources are
 * the account, region, partition, policy documents, the public AMI parameter and the remote states).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from './emulator';
import { EMULATOR_GAPS, type StackConfig } from './emulator-gaps';
import { inWaves, initStack, planStack, readFromSnapshots } from './harness';
import type { PlannedResourceChange } from './plan';
import { copyStacks, environmentStacks, readManifest, readStackConfig } from './stack-copies';
import { rehearsalOverride } from './stack-override';
import type { TerraformSetup } from './terraform';

/** A changed synth root to plan against the applied environment. */
export interface HeadRoot {
  /** Names the head's folder and its entry in the result; letters, digits and dashes. */
  readonly label: string;
  /** A synth root (holding cdktf.out/) of the changed spec. */
  readonly root: string;
  /** Plan only these of the differing stacks. @default - every stack whose configuration differs */
  readonly stacks?: readonly string[];
}

export interface HeadStackPlan {
  readonly stack: string;
  /** Managed resources Terraform plans to create, update, replace or delete (no data-source reads, no no-ops). */
  readonly changes: readonly PlannedResourceChange[];
  readonly seconds: number;
}

export interface HeadPlan {
  readonly label: string;
  readonly stacks: readonly HeadStackPlan[];
  /** Stacks of the head identical to the applied ones: nothing to plan. */
  readonly unchanged: readonly string[];
}

export interface HeadPlanOptions {
  readonly emulator: Emulator;
  readonly setup: TerraformSetup;
  readonly environment: string;
  /** The synth root that was applied. */
  readonly appliedRoot: string;
  /** The stacks that were applied (a head's stack beyond these is not planned: it has no state to plan against). */
  readonly appliedStacks: readonly string[];
  readonly heads: readonly HeadRoot[];
  /** Scratch folder: `<workDir>/<label>/cdktf.out/stacks/<stack>` per head. */
  readonly workDir: string;
  readonly onProgress?: (line: string) => void;
  /**
   * Plan against the state snapshots `snapshotStates(…, prefix)` took (backend and remote states), so the applied
   * environment may go on changing meanwhile. @default - the live state objects
   */
  readonly snapshotPrefix?: string;
}

function stackFile(root: string, stack: string): string {
  return readFileSync(join(root, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8');
}

/**
 * Plans every head, all at once: a head's stacks in parallel (their states are separate objects), and the heads in
 * parallel too, without taking the state lock (`-lock=false`): these plans only read the state, are never applied,
 * and would otherwise wait on each other's lock for the same stack.
 */
export async function planHeads(options: HeadPlanOptions): Promise<HeadPlan[]> {
  const prepared = options.heads.map((head) => {
    if (!/^[A-Za-z0-9-]+$/.test(head.label)) throw new Error(`head label "${head.label}": use letters, digits and dashes only`);
    const stacks = environmentStacks(readManifest(head.root), options.environment).filter((stack) => options.appliedStacks.includes(stack));
    const unknown = (head.stacks ?? []).filter((stack) => !stacks.includes(stack));
    if (unknown.length > 0) throw new Error(`head ${head.label}: no applied stack ${unknown.join(', ')} (applied: ${stacks.join(', ')})`);
    const differing = stacks.filter((stack) => stackFile(head.root, stack) !== stackFile(options.appliedRoot, stack));
    const planned = head.stacks ? differing.filter((stack) => head.stacks!.includes(stack)) : differing;
    return { head, stacks, differing, planned };
  });
  return Promise.all(
    prepared.map(async ({ head, stacks, differing, planned }): Promise<HeadPlan> => {
      const snapshots = options.snapshotPrefix
        ? Object.fromEntries(planned.map((stack) => [stack, readFromSnapshots(readStackConfig(head.root, stack), options.snapshotPrefix!)]))
        : {};
      const dirs = copyStacks(head.root, join(options.workDir, head.label), planned, options.emulator.endpoint, snapshots);
      const results = await inWaves([planned], async (stack): Promise<HeadStackPlan> => {
        const started = performance.now();
        await initStack(options.setup, stack, dirs[stack]);
        const plan = await planStack(options.setup, stack, dirs[stack], { refresh: false, lock: false, actionsOnly: true, onlyShowChanges: true });
        // The folder's one command: its provider process is not kept for another.
        await options.setup.providers?.stopUnder(dirs[stack]);
        const changes = plan.changes.filter((change) => !change.address.startsWith('data.') && change.actions.some((action) => action !== 'no-op' && action !== 'read'));
        const seconds = (performance.now() - started) / 1000;
        options.onProgress?.(`head ${head.label}: ${stack} planned, ${changes.length} change(s) in ${seconds.toFixed(1)} s (init + plan)`);
        return { stack, changes, seconds };
      });
      return { label: head.label, stacks: planned.map((stack) => results[stack]), unchanged: stacks.filter((stack) => !differing.includes(stack)) };
    }),
  );
}

/**
 * A stack's configuration as Terraform sees it in the rehearsal: the resource overrides of the emulator-gap list
 * merged in (a `count = 0` resource left out, `lifecycle` merged argument by argument, other attributes replaced), as
 * Terraform merges `override.tf.json`. A prediction compared with a rehearsal plan must be made from this.
 */
export function configAsRehearsed(config: StackConfig): StackConfig {
  const copy = JSON.parse(JSON.stringify(config)) as StackConfig;
  const overrides = (rehearsalOverride(config, 'http://127.0.0.1').resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const [type, byName] of Object.entries(overrides)) {
    for (const [name, override] of Object.entries(byName)) {
      const resources = copy.resource?.[type];
      const resource = resources?.[name];
      if (!resources || !resource) continue;
      if (override.count === 0) {
        delete resources[name];
        continue;
      }
      const { lifecycle, ...attributes } = override;
      resources[name] = { ...resource, ...attributes, ...(lifecycle ? { lifecycle: { ...((resource.lifecycle as object | undefined) ?? {}), ...(lifecycle as object) } } : {}) };
    }
  }
  return copy;
}

/**
 * Resource types whose in-place update the emulator invents on every plan after an apply (the gap list's tolerated
 * differences): an action-only plan cannot tell such an update from a real one.
 */
export function typesWithInventedUpdates(): string[] {
  return [...new Set(EMULATOR_GAPS.flatMap((gap) => (gap.toleratedDifference ? [gap.toleratedDifference.resourceType] : [])))].sort();
}
