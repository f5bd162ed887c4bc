import { readFileSync } from 'node:fs';
import { ReviewInputError } from '../input-error';
import { diffJson } from '../json-diff';
import type { TerraformDocument } from '../synth-root';
import type { AttributeChange, ResourceAction, ResourceChange } from './terraform-diff';

/**
 * A `terraform show -json <planfile>` document of one stack, in Terraform's documented JSON output format
 * (`format_version`, `resource_changes[]` with `change.actions`, `before`, `after`, `after_unknown`,
 * `replace_paths`). When a reviewer supplies one, it replaces the prediction for that stack: the plan is what the
 * provider itself decided against the real state.
 */

export interface StackPlan {
  readonly stack: string;
  readonly file: string;
  readonly document: Record<string, any>;
}

/** Reads and checks a plan file; `stack` is the stack it was made for. */
export function readPlanFile(stack: string, file: string): StackPlan {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReviewInputError(`--plan ${stack}=${file}: not readable JSON (${(error as Error).message}); pass the output of terraform show -json <planfile>`);
  }
  if (!document || typeof document !== 'object' || typeof (document as any).format_version !== 'string') {
    throw new ReviewInputError(`--plan ${stack}=${file}: no format_version: not the output of terraform show -json <planfile>`);
  }
  const changes = (document as any).resource_changes ?? [];
  if (!Array.isArray(changes)) throw new ReviewInputError(`--plan ${stack}=${file}: resource_changes is not a list`);
  for (const [index, change] of changes.entries()) {
    if (typeof change?.address !== 'string' || !Array.isArray(change?.change?.actions)) {
      throw new ReviewInputError(`--plan ${stack}=${file}: resource_changes[${index}] has no address or change.actions`);
    }
  }
  return { stack, file, document: document as Record<string, any> };
}

function actionOf(actions: readonly string[]): ResourceAction | undefined {
  const key = [...actions].join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    default:
      return undefined; // no-op, read
  }
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** Paths under which `after_unknown` marks a value as known only after apply. */
function unknownPaths(unknown: unknown, path = ''): string[] {
  if (unknown === true) return [path];
  if (Array.isArray(unknown)) return unknown.flatMap((item, index) => unknownPaths(item, `${path}[${index}]`));
  if (unknown && typeof unknown === 'object') {
    return Object.entries(unknown).flatMap(([key, value]) => unknownPaths(value, path === '' ? key : `${path}.${key}`));
  }
  return [];
}

/** The plan's resource changes in the review's terms; `head` supplies each resource's config for the danger rules. */
export function planChanges(plan: StackPlan, head: TerraformDocument | undefined): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const resource of plan.document.resource_changes as Record<string, any>[]) {
    if (resource.mode === 'data') continue;
    const action = actionOf(resource.change.actions);
    if (!action) continue;
    const replacePaths = new Set<string>((resource.change.replace_paths ?? []).map((path: (string | number)[]) => pathText(path)));
    const before = resource.change.before ?? {};
    const after = resource.change.after ?? {};
    const unknown = new Set(unknownPaths(resource.change.after_unknown));
    const attributes: AttributeChange[] = [];
    if (action === 'update' || action === 'replace') {
      const forced = (path: string) => [...replacePaths].some((replaced) => path === replaced || path.startsWith(`${replaced}.`) || path.startsWith(`${replaced}[`));
      for (const field of diffJson(before, after)) {
        const knownAfterApply = unknown.has(field.path);
        const { after: value, ...rest } = field;
        attributes.push({ ...rest, ...(knownAfterApply ? { knownAfterApply } : value !== undefined ? { after: value } : {}), forcesReplacement: forced(field.path) });
      }
      for (const path of unknown) {
        if (attributes.some((attribute) => attribute.path === path)) continue;
        attributes.push({ path, forcesReplacement: forced(path), knownAfterApply: true });
      }
    }
    const type: string = resource.type ?? String(resource.address).split('.').slice(-2)[0];
    const name: string = resource.name ?? String(resource.address).split('.').slice(-1)[0];
    const config = head?.resource?.[type]?.[name] ?? after ?? before;
    out.push({
      stack: plan.stack,
      address: resource.address,
      type,
      action,
      attributes: attributes.sort((a, b) => a.path.localeCompare(b.path)),
      source: 'plan',
      config,
      ...(action !== 'create' ? { baseConfig: before } : {}),
    });
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}
