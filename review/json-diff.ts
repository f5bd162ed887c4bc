/**
 * A structural diff of two JSON values, reported as field paths a reviewer can read and look up:
 * `spec.template.spec.containers[name=kafka].image`, `tags.team`, `data["kafka-controller-0.properties"]`.
 * Lists of objects that each carry a unique `name` are matched by name, so inserting a container or an
 * environment variable is one change, not a shifted list of them.
 */

export interface FieldChange {
  readonly path: string;
  /** Absent when the field is new. */
  readonly before?: unknown;
  /** Absent when the field was removed. */
  readonly after?: unknown;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function keySegment(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_\-/]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function join(path: string, key: string): string {
  const segment = keySegment(key);
  return path === '' && segment.startsWith('.') ? segment.slice(1) : `${path}${segment}`;
}

/** Items keyed by their `name` when every item is an object with a distinct string name. */
function namedItems(list: readonly Json[]): Map<string, Json> | undefined {
  if (list.length === 0) return undefined;
  const items = new Map<string, Json>();
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== 'string' || items.has(item.name)) return undefined;
    items.set(item.name, item);
  }
  return items;
}

export function equalJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => equalJson(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && equalJson(a[key], b[key]));
  }
  return false;
}

function diffInto(before: Json, after: Json, path: string, out: FieldChange[], ignore: (path: string) => boolean): void {
  if (ignore(path) || equalJson(before, after)) return;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const child = join(path, key);
      if (!(key in after)) {
        if (!ignore(child)) out.push({ path: child, before: before[key] });
      } else if (!(key in before)) {
        if (!ignore(child)) out.push({ path: child, after: after[key] });
      } else diffInto(before[key], after[key], child, out, ignore);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeNamed = namedItems(before);
    const afterNamed = namedItems(after);
    if (beforeNamed && afterNamed) {
      const names = [...new Set([...beforeNamed.keys(), ...afterNamed.keys()])];
      for (const name of names) {
        const child = `${path}[name=${name}]`;
        if (!afterNamed.has(name)) out.push({ path: child, before: beforeNamed.get(name) });
        else if (!beforeNamed.has(name)) out.push({ path: child, after: afterNamed.get(name) });
        else diffInto(beforeNamed.get(name), afterNamed.get(name), child, out, ignore);
      }
      return;
    }
    const scalars = [...before, ...after].every((item) => !isObject(item) && !Array.isArray(item));
    if (scalars || before.length !== after.length) {
      // A list of plain values (CIDRs, subnet ids, commands) reads best whole.
      out.push({ path, before, after });
      return;
    }
    for (let index = 0; index < before.length; index++) diffInto(before[index], after[index], `${path}[${index}]`, out, ignore);
    return;
  }
  out.push({ path, before, after });
}

/** Every changed leaf (or added/removed subtree) between `before` and `after`; `ignore` prunes paths. */
export function diffJson(before: Json, after: Json, ignore: (path: string) => boolean = () => false): FieldChange[] {
  const out: FieldChange[] = [];
  diffInto(before, after, '', out, ignore);
  return out;
}

/** The value at a dotted path of plain keys (`spec.template.metadata`), undefined when any step is missing. */
export function valueAt(value: Json, path: readonly string[]): Json {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
