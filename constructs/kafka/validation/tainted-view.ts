/**
 * A read-only view of a partly valid spec in which the fields that failed the schema cannot be read. Cross-field
 * rules run on it unchanged: the first read of a tainted field throws `TaintedFieldRead`, and the runner stops that
 * rule there, so a rule never judges a stand-in value, while every rule that reads only valid fields still reports.
 */

export type FieldPath = readonly (string | number)[];

/** Thrown (not an Error: no stack trace to capture, it is caught by the runner) when a rule reads a tainted field. */
export class TaintedFieldRead {
  constructor(readonly path: string) {}
}

const targets = new WeakMap<object, object>();
const SEPARATOR = '\u0000';
const keyOf = (path: FieldPath) => path.map(String).join(SEPARATOR);

/** A view of `value` in which reading any of the `tainted` paths (or listing their parent's keys) throws. */
export function taintedView<T extends object>(value: T, tainted: readonly FieldPath[]): T {
  if (tainted.length === 0) return value;
  const fields = new Set(tainted.map(keyOf));
  const parents = new Set(tainted.map((path) => keyOf(path.slice(0, -1))));
  return wrap(value, '', true, { fields, parents, views: new WeakMap() }) as T;
}

/** The plain value behind a view (problems keep the value itself, not the view). */
export function unwrapTainted(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (targets.get(value) ?? value) : value;
}

interface Taint {
  readonly fields: ReadonlySet<string>;
  readonly parents: ReadonlySet<string>;
  /** One view per object and path (zod may hand out one default object at two paths). */
  readonly views: WeakMap<object, Map<string, object>>;
}

function wrap(value: unknown, key: string, isRoot: boolean, taint: Taint): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const cached = taint.views.get(value)?.get(key);
  if (cached) return cached;
  const isArray = Array.isArray(value);
  const childKey = (child: string) => (isRoot ? child : `${key}${SEPARATOR}${child}`);
  const guard = (child: string) => {
    const path = childKey(child);
    if (taint.fields.has(path)) throw new TaintedFieldRead(path.split(SEPARATOR).join('.'));
    return path;
  };
  const proxy = new Proxy(value, {
    get(target, property, receiver) {
      const result = Reflect.get(target, property, receiver);
      if (typeof property === 'symbol' || (isArray && property === 'length') || typeof result === 'function') return result;
      const path = guard(property);
      return typeof result === 'object' && result !== null ? wrap(result, path, false, taint) : result;
    },
    has(target, property) {
      if (typeof property !== 'symbol') guard(property);
      return Reflect.has(target, property);
    },
    ownKeys(target) {
      // A field removed to let the rest parse would otherwise vanish from key listings without a trace.
      if (taint.parents.has(isRoot ? '' : key)) throw new TaintedFieldRead(key.split(SEPARATOR).join('.'));
      return Reflect.ownKeys(target);
    },
    set() {
      throw new TypeError('a spec under validation is read-only');
    },
    deleteProperty() {
      throw new TypeError('a spec under validation is read-only');
    },
  });
  targets.set(proxy, value);
  const byPath = taint.views.get(value) ?? new Map<string, object>();
  byPath.set(key, proxy);
  taint.views.set(value, byPath);
  return proxy;
}
