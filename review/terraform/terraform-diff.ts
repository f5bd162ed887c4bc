import { type FieldChange, diffJson, equalJson } from '../json-diff';
import type { TerraformDocument } from '../synth-root';
import { REPLACEMENT_RULES, forcesReplacement, schemaPath } from './replacement-rules';

/**
 * What `terraform apply` of the head output would do to infrastructure built from the base output, predicted
 * from the two Terraform JSON documents alone: per resource, the changed attributes and whether the provider
 * updates it in place or replaces it. A replaced resource gets new ids, so every attribute referring to one
 * (`${aws_vpc.x.id}`, across stacks through `terraform_remote_state`) changes too, which may replace that
 * resource in turn: a new VPC range replaces the subnets, their route table associations and the instances in them.
 */

export type ResourceAction = 'create' | 'update' | 'replace' | 'delete';

export interface AttributeChange extends FieldChange {
  /** This change alone makes the provider replace the resource. */
  readonly forcesReplacement: boolean;
  /** Listed in `lifecycle.ignore_changes`: Terraform will not apply it. */
  readonly ignored?: boolean;
  /** The value is only known after apply, because what it refers to is replaced or re-read. */
  readonly knownAfterApply?: boolean;
}

export interface ResourceChange {
  readonly stack: string;
  /** `<type>.<name>`, as Terraform prints it. */
  readonly address: string;
  readonly type: string;
  readonly action: ResourceAction;
  readonly attributes: readonly AttributeChange[];
  /** Where the action comes from: the replacement table, or a `terraform show -json` plan of the stack. */
  readonly source: 'predicted' | 'plan' | 'not-predicted';
  /** Replacement deletes before it creates, unless `create_before_destroy` is set. */
  readonly createBeforeDestroy?: boolean;
  /** `lifecycle.prevent_destroy` in the head config: Terraform refuses a delete or replace. */
  readonly preventDestroy?: boolean;
  /** The resource's own config (head for create/update/replace, base for delete): danger rules read tags and sizes. */
  readonly config: Record<string, any>;
  readonly baseConfig?: Record<string, any>;
}

const META_KEYS = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'provisioner', 'connection']);
const REFERENCE = /\$\{([^}]*)\}/g;

function resources(document: TerraformDocument | undefined, kind: 'resource' | 'data'): Map<string, { type: string; config: Record<string, any> }> {
  const out = new Map<string, { type: string; config: Record<string, any> }>();
  for (const [type, byName] of Object.entries<Record<string, any>>(document?.[kind] ?? {})) {
    for (const [name, config] of Object.entries<Record<string, any>>(byName ?? {})) {
      out.set(`${kind === 'data' ? 'data.' : ''}${type}.${name}`, { type, config });
    }
  }
  return out;
}

function comparable(config: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !META_KEYS.has(key)));
}

/** Every `${...}` reference in a value, as `<address>.<attribute>` strings. */
function referencesIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE)) {
      for (const ref of match[1].matchAll(/\b(data\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*|aws_[A-Za-z0-9_]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_]+)/g)) out.add(ref[1]);
    }
  } else if (Array.isArray(value)) value.forEach((item) => referencesIn(item, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => referencesIn(item, out));
  return out;
}

/** Leaf paths of `config` whose value mentions one of the changed references. */
function pathsReferring(config: Record<string, any>, changed: (reference: string) => boolean, path = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (META_KEYS.has(key) && path === '') continue;
    const child = path === '' ? key : `${path}.${key}`;
    if (value && typeof value === 'object' && !Array.isArray(value)) out.push(...pathsReferring(value, changed, child));
    else if ([...referencesIn(value)].some(changed)) out.push(child);
  }
  return out;
}

/** `aws_vpc.x.id` → address `aws_vpc.x`, attribute `id`; `data.t.n.json` → `data.t.n`, `json`. */
function splitReference(reference: string): { address: string; attribute?: string } {
  const parts = reference.split('.');
  const length = reference.startsWith('data.') ? 3 : 2;
  return { address: parts.slice(0, length).join('.'), ...(parts[length] !== undefined ? { attribute: parts[length] } : {}) };
}

interface StackState {
  readonly stack: string;
  readonly base?: TerraformDocument;
  readonly head?: TerraformDocument;
}

/** The `<env>/<stack>.tfstate` key a remote state data source reads → the stack it reads. */
function remoteStateStacks(document: TerraformDocument | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, config] of Object.entries<Record<string, any>>(document?.data?.terraform_remote_state ?? {})) {
    const key: unknown = config?.config?.key;
    if (typeof key === 'string') out.set(`data.terraform_remote_state.${name}`, key.replace(/^.*\//, '').replace(/\.tfstate$/, ''));
  }
  return out;
}

function defaultTags(document: TerraformDocument | undefined): unknown {
  const providers = document?.provider?.aws;
  const first = Array.isArray(providers) ? providers[0] : providers;
  return first?.default_tags ?? null;
}

/**
 * Predicted resource changes of one environment's stacks (stack name → address order). Stacks are evaluated
 * producers first, so a consumer sees which `terraform_remote_state` outputs change.
 */
export function predictTerraformChanges(base: ReadonlyMap<string, TerraformDocument>, head: ReadonlyMap<string, TerraformDocument>): ResourceChange[] {
  const stacks: StackState[] = [...new Set([...base.keys(), ...head.keys()])].sort().map((stack) => ({ stack, base: base.get(stack), head: head.get(stack) }));
  /** Outputs (per stack) whose value changes in this apply. */
  const changedOutputs = new Map<string, Set<string>>();
  const results = new Map<string, ResourceChange[]>();
  // Producers first: a stack is ready once every stack it reads remote state from is done (no cycles in cdktf).
  const pending = [...stacks];
  while (pending.length > 0) {
    const index = pending.findIndex((state) => [...remoteStateStacks(state.head).values()].every((producer) => producer === state.stack || results.has(producer) || !stacks.some((s) => s.stack === producer)));
    const [state] = pending.splice(index === -1 ? 0 : index, 1);
    const { changes, outputs } = predictStack(state, changedOutputs);
    results.set(state.stack, changes);
    changedOutputs.set(state.stack, outputs);
  }
  return stacks.flatMap((state) => results.get(state.stack) ?? []);
}

function predictStack(state: StackState, upstreamOutputs: ReadonlyMap<string, ReadonlySet<string>>): { changes: ResourceChange[]; outputs: Set<string> } {
  const { stack } = state;
  const baseResources = new Map([...resources(state.base, 'resource'), ...resources(state.base, 'data')]);
  const headResources = new Map([...resources(state.head, 'resource'), ...resources(state.head, 'data')]);
  const remote = remoteStateStacks(state.head);
  const tagsChanged = !equalJson(defaultTags(state.base), defaultTags(state.head));

  /** Address → attributes (or '*' for every computed one) whose value changes in this apply. */
  const changedValues = new Map<string, Set<string>>();
  const isChangedReference = (reference: string): boolean => {
    if (reference.startsWith('data.terraform_remote_state.')) {
      const [, , name, outputsKey, output] = reference.split('.');
      const producer = remote.get(`data.terraform_remote_state.${name}`);
      return outputsKey === 'outputs' && producer !== undefined && (upstreamOutputs.get(producer)?.has(output) ?? false);
    }
    const { address, attribute } = splitReference(reference);
    const values = changedValues.get(address);
    return values !== undefined && (values.has('*') || (attribute !== undefined && values.has(attribute)));
  };

  const decided = new Map<string, ResourceChange>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const address of [...new Set([...baseResources.keys(), ...headResources.keys()])].sort()) {
      const before = baseResources.get(address);
      const after = headResources.get(address);
      const type = (after ?? before)!.type;
      const isData = address.startsWith('data.');
      let change: ResourceChange | undefined;
      if (!before) {
        change = { stack, address, type, action: 'create', attributes: [], source: 'predicted', config: after!.config };
      } else if (!after) {
        change = { stack, address, type, action: 'delete', attributes: [], source: 'predicted', config: before.config };
      } else {
        const ignoreChanges: string[] = Array.isArray(after.config.lifecycle?.ignore_changes) ? after.config.lifecycle.ignore_changes : [];
        const attributes: AttributeChange[] = [];
        const direct = diffJson(comparable(before.config), comparable(after.config));
        const directPaths = new Set<string>();
        for (const field of direct) {
          const top = schemaPath(field.path).split('.')[0];
          const ignored = ignoreChanges.includes(top);
          directPaths.add(field.path);
          attributes.push({ ...field, forcesReplacement: !ignored && (forcesReplacement(type, field.path) ?? false), ...(ignored ? { ignored } : {}) });
        }
        // Terraform reads a data source during apply, not plan, when anything it refers to has a pending change:
        // every value read from it is then unknown, so whatever uses it changes too.
        const referencesPending = (reference: string) => decided.has(splitReference(reference).address) || isChangedReference(reference);
        for (const path of pathsReferring(after.config, isData ? referencesPending : isChangedReference)) {
          if (directPaths.has(path) || ignoreChanges.includes(path.split('.')[0])) continue;
          attributes.push({ path, before: valueAtPath(before.config, path), after: valueAtPath(after.config, path), forcesReplacement: forcesReplacement(type, path) ?? false, knownAfterApply: true });
        }
        if (tagsChanged && !isData && REPLACEMENT_RULES[type]?.tagged) {
          attributes.push({ path: 'tags_all', before: defaultTags(state.base), after: defaultTags(state.head), forcesReplacement: false });
        }
        const effective = attributes.filter((attribute) => !attribute.ignored);
        // A change of ignored attributes only is no change for Terraform: leave it out.
        if (effective.length > 0) {
          change = {
            stack, address, type,
            action: effective.some((attribute) => attribute.forcesReplacement) ? 'replace' : 'update',
            attributes: attributes.sort((a, b) => a.path.localeCompare(b.path)),
            source: isData || REPLACEMENT_RULES[type] !== undefined ? 'predicted' : 'not-predicted',
            config: after.config,
            baseConfig: before.config,
          };
        }
      }
      const previous = decided.get(address);
      if (change && (!previous || previous.action !== change.action || previous.attributes.length !== change.attributes.length)) {
        decided.set(address, change);
        progress = true;
        const values = new Set<string>();
        if (isData || change.action !== 'update') {
          values.add('*');
        } else {
          for (const attribute of change.attributes) if (!attribute.ignored) values.add(schemaPath(attribute.path).split('.')[0]);
          // A launch template gets a new version (latest_version) for any change but its tags and description.
          const versioned = change.attributes.some((attribute) => !attribute.ignored && !['tags', 'tags_all', 'description'].includes(schemaPath(attribute.path).split('.')[0]));
          if (versioned) for (const computed of REPLACEMENT_RULES[type]?.changesOnUpdate ?? []) values.add(computed);
        }
        changedValues.set(address, values);
      }
    }
  }

  const outputs = new Set<string>();
  const baseOutputs: Record<string, any> = state.base?.output ?? {};
  for (const [name, output] of Object.entries<Record<string, any>>(state.head?.output ?? {})) {
    if (!equalJson(baseOutputs[name], output) || [...referencesIn(output?.value)].some(isChangedReference)) outputs.add(name);
  }
  for (const name of Object.keys(baseOutputs)) if (!(name in (state.head?.output ?? {}))) outputs.add(name);

  const changes = [...decided.values()]
    .filter((change) => !change.address.startsWith('data.'))
    .map((change) => withLifecycle(change))
    .sort((a, b) => a.address.localeCompare(b.address));
  return { changes, outputs };
}

function withLifecycle(change: ResourceChange): ResourceChange {
  const lifecycle = change.config.lifecycle ?? {};
  return {
    ...change,
    ...(lifecycle.create_before_destroy === true ? { createBeforeDestroy: true } : {}),
    ...(lifecycle.prevent_destroy === true ? { preventDestroy: true } : {}),
  };
}

function valueAtPath(config: Record<string, any>, path: string): unknown {
  return path.split('.').reduce<any>((value, key) => (value && typeof value === 'object' ? value[key] : undefined), config);
}
