/**
 * A saved Terraform plan as data (`terraform show -json`), with the emulator's known artifacts taken out: what is
 * left is what Terraform would do against real AWS, as far as the emulator can tell.
 */
import { gapExplaining } from './emulator-gaps';

export type PlanAction = 'create' | 'read' | 'update' | 'delete' | 'no-op';

export interface PlannedResourceChange {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly PlanAction[];
  /** Terraform deletes and re-creates the resource (in either order). */
  readonly replace: boolean;
  /** The emulator gaps (by name) that explained away part of Terraform's raw plan for this resource. @default - none */
  readonly toleratedGaps?: readonly string[];
  /** Top-level attributes whose planned value differs from the current one (after tolerated gaps). */
  readonly changedAttributes?: readonly string[];
}

/** The parts of `terraform show -json <plan>` read here. */
export interface PlanJson {
  resource_changes?: {
    address: string;
    mode: 'managed' | 'data';
    type: string;
    change: {
      actions: PlanAction[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      after_unknown?: Record<string, unknown>;
      replace_paths?: (string | number)[][];
    };
  }[];
  output_changes?: Record<string, { actions: PlanAction[] }>;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Top-level attributes whose value changes (or becomes unknown) between `before` and `after`. */
function changedAttributes(change: NonNullable<PlanJson['resource_changes']>[number]['change']): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys].filter((key) => (unknown[key] !== undefined && unknown[key] !== false && !same(unknown[key], {}) && !same(unknown[key], [])) || !same(before[key], after[key])).sort();
}

/**
 * Each resource's planned change, with emulator artifacts (EMULATOR_GAPS) removed: an in-place update of nothing but
 * attributes the gap list explains is a no-op against AWS. Replacements are never explained away.
 */
export function plannedChanges(plan: PlanJson): PlannedResourceChange[] {
  return (plan.resource_changes ?? []).map((resource) => {
    const actions = resource.change.actions;
    const raw = { address: resource.address, type: resource.type, actions, replace: actions.includes('delete') && actions.includes('create') };
    if (!actions.includes('update') && !raw.replace) return raw;
    const changed = changedAttributes(resource.change);
    if (raw.replace) return { ...raw, changedAttributes: changed };
    const gaps = new Set<string>();
    const real = changed.filter((attribute) => {
      const gap = gapExplaining(resource.type, attribute);
      if (gap) gaps.add(gap.name);
      return !gap;
    });
    if (gaps.size === 0 || real.length > 0) return { ...raw, changedAttributes: changed };
    return { address: raw.address, type: raw.type, actions: ['no-op'], replace: false, toleratedGaps: [...gaps].sort(), changedAttributes: [] };
  });
}

/** Changes that are not no-ops or reads: what makes a plan non-empty. */
export function effectiveChanges(changes: readonly PlannedResourceChange[]): PlannedResourceChange[] {
  return changes.filter((change) => change.actions.some((action) => action !== 'no-op' && action !== 'read'));
}

/** Outputs whose value would change. */
export function changedOutputs(plan: PlanJson): string[] {
  return Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => change.actions.some((action) => action !== 'no-op'))
    .map(([name]) => name)
    .sort();
}

/**
 * The resource changes of a `terraform plan -json` run, from its `planned_change` messages: actions only (no
 * attributes), which is all the update round's check needs, without a `terraform show` run.
 */
export function streamedChanges(stdout: string): PlannedResourceChange[] {
  const actions: Record<string, PlanAction[]> = {
    create: ['create'],
    read: ['read'],
    update: ['update'],
    replace: ['delete', 'create'],
    delete: ['delete'],
    remove: ['delete'],
    noop: ['no-op'],
  };
  const changes: PlannedResourceChange[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.includes('"planned_change"')) continue;
    let message: { type?: string; change?: { action: string; resource: { addr: string; resource_type: string } } };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type !== 'planned_change' || !message.change) continue;
    const planned = actions[message.change.action];
    if (!planned) throw new Error(`terraform planned "${message.change.action}" for ${message.change.resource.addr}, an action the rehearsal does not know`);
    changes.push({ address: message.change.resource.addr, type: message.change.resource.resource_type, actions: planned, replace: message.change.action === 'replace' });
  }
  return changes;
}
