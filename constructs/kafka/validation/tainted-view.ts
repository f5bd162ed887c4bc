/**
 * A read-only view of a partly valid spec in which the fields that failed the schema cannot be read. Cross-field
 * rules run on it unchanged: the first read of a tainted field throws `TaintedFieldRead`, and the runner skips that
 * rule, so a rule never judges a stand-in value, while every rule that reads only valid fields still reports.
 */

export type FieldPath = readonly (string | number)[];

export class TaintedFieldRead extends Error {
  constructor(readonly path: FieldPath) {
    super(`reads ${path.join('.')}, which failed the schema`);
  }
}

const targets = new WeakMap<object, object>();
const keyOf = (path: FieldPath) => JSON.stringify(path.map(String));

/** A view of `value` in which reading any of the `tainted` paths (or listing their parent's keys) throws. */
export function taintedView<T extends object>(value: T, tainted: readonly FieldPath[]): T {
  if (tainted.length === 0) return value;
  const fields = new Set(tainted.map(keyOf));
  const parents = new Set(tainted.map((path) => keyOf(path.slice(0, -1))));
  return wrap(value, [], { fields, parents }) as T;
}

/** The plain value behind a view (problems keep the value itself, not the view). */
export function unwrapTainted(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (targets.get(value) ?? value) : value;
}

interface Taint {
  readonly fields: ReadonlySet<string>;
  readonly parents: ReadonlySet<string>;
}

function wrap(value: unknown, path: FieldPath, taint: Taint): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const isArray = Array.isArray(value);
  const guard = (key: string) => {
    const child = [...path, key];
    if (taint.fields.has(keyOf(child))) throw new TaintedFieldRead(child);
    return child;
  };
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      const result = Reflect.get(target, key, receiver);
      if (typeof key === 'symbol' || (isArray && key === 'length') || typeof result === 'function') return result;
      return wrap(result, guard(key), taint);
    },
    has(target, key) {
      if (typeof key !== 'symbol') guard(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      // A field removed to let the rest parse would otherwise vanish from key listings without a trace.
      if (taint.parents.has(keyOf(path))) throw new TaintedFieldRead(path);
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
  return proxy;
}
