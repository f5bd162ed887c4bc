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

/**
 * One field on the way to a tainted one: the tainted paths as a tree. Only objects on these paths are wrapped in a
 * proxy; everything beside them holds no tainted field, so it is handed out as it is (rules read a lot, and a proxy
 * on every object read was a quarter of validating a broken spec).
 */
interface TaintNode {
  /** The field's path as messages print it, dotted. */
  readonly dotted: string;
  /** Reading this field throws. */
  tainted: boolean;
  /** A child of this field is tainted: listing its keys throws (a field removed to let the rest parse would otherwise vanish without a trace). */
  taintedChild: boolean;
  readonly children: Map<string, TaintNode>;
  /** One view per object at this path (zod may hand out one default object at two paths). */
  readonly views: WeakMap<object, object>;
}

const node = (dotted: string): TaintNode => ({ dotted, tainted: false, taintedChild: false, children: new Map(), views: new WeakMap() });

/** A view of `value` in which reading any of the `tainted` paths (or listing their parent's keys) throws. */
export function taintedView<T extends object>(value: T, tainted: readonly FieldPath[]): T {
  if (tainted.length === 0) return value;
  const root = node('');
  for (const path of tainted) {
    let parent = root;
    let current = root;
    for (const part of path) {
      const key = String(part);
      parent = current;
      let child = current.children.get(key);
      if (!child) {
        child = node(current === root ? key : `${current.dotted}.${key}`);
        current.children.set(key, child);
      }
      current = child;
    }
    current.tainted = true;
    parent.taintedChild = true;
  }
  return wrap(value, root) as T;
}

/** The plain value behind a view (problems keep the value itself, not the view). */
export function unwrapTainted(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (targets.get(value) ?? value) : value;
}

function wrap(value: unknown, taint: TaintNode): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const cached = taint.views.get(value);
  if (cached) return cached;
  const isArray = Array.isArray(value);
  const proxy = new Proxy(value, {
    get(target, property, receiver) {
      const result = Reflect.get(target, property, receiver);
      if (typeof property === 'symbol' || (isArray && property === 'length') || typeof result === 'function') return result;
      const child = taint.children.get(property);
      if (child === undefined) return result;
      if (child.tainted) throw new TaintedFieldRead(child.dotted);
      return wrap(result, child);
    },
    has(target, property) {
      if (typeof property !== 'symbol' && taint.children.get(property)?.tainted) throw new TaintedFieldRead(taint.children.get(property)!.dotted);
      return Reflect.has(target, property);
    },
    ownKeys(target) {
      if (taint.taintedChild) throw new TaintedFieldRead(taint.dotted);
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
  taint.views.set(value, proxy);
  return proxy;
}
