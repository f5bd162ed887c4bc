import type { z } from 'zod';
import { type ResolvedSpec, environmentSpecSchema } from '../spec/environment-spec';
import type { FieldPath } from './tainted-view';

/** `kafka.brokers.perZone`, `security.acls.app[0].host`: the path of a field as messages print it. */
export function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const key = String(part);
      // Map keys are the user's: anything unusual is quoted so that it cannot pose as a path or a new line.
      if (!/^[A-Za-z0-9_$][\w$-]*$/.test(key)) return `[${JSON.stringify(key)}]`;
      return `${index === 0 ? '' : '.'}${key}`;
    })
    .join('');
}

/**
 * Stand-ins for the required fields, used only to let the rest of a broken spec parse; every field replaced by one
 * is tainted, so no rule ever reads them.
 */
const STAND_IN = {
  name: 'environment',
  tier: 'dev',
  aws: { region: 'eu-west-1', availabilityZones: ['eu-west-1a'], vpcCidr: '10.0.0.0/16' },
  runtime: { kind: 'kubernetes' },
  kafka: {
    version: '4.1.1',
    clusterId: 'iISawsuGVJrthHr6igQxdA',
    controllers: { count: 1, size: { cpu: 1, memoryGiB: 4 }, storage: { sizeGiB: 10 } },
    brokers: { perZone: 1, size: { cpu: 1, memoryGiB: 4 }, storage: { sizeGiB: 10 } },
    replicationFactor: 1,
    minInsyncReplicas: 1,
  },
  terraformState: { bucket: 'stand-in-bucket', region: 'eu-west-1' },
};

const MAX_ROUNDS = 12;

/**
 * The spec as far as it parses: fields the schema rejected are replaced (by a stand-in, their default, or by
 * removing them) until the rest parses, and reported as tainted. Returns undefined when even that fails (the spec
 * is no object, or a repair does not converge), in which case no cross-field rule can run.
 */
export function partialParse(input: unknown, issues: readonly z.core.$ZodIssue[]): { spec: ResolvedSpec; tainted: FieldPath[] } | undefined {
  let draft: unknown;
  try {
    draft = plainCopy(input, new Set(), 0);
  } catch {
    return undefined;
  }
  if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) return undefined;
  const tainted = new Map<string, FieldPath>();
  let current = issues;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (const path of repairPaths(current)) {
      let target: FieldPath = path;
      while (target.length > 0 && tainted.has(JSON.stringify(target.map(String)))) target = target.slice(0, -1);
      if (target.length === 0) return undefined;
      // An array element is replaced by a copy of a sibling that parses (indexes must not shift), else the
      // whole array is tainted.
      const arrayIndex = target.findIndex((part) => typeof part === 'number');
      if (arrayIndex >= 0) {
        const element = target.slice(0, arrayIndex + 1);
        const sibling = siblingThatParses(draft, element, current, tainted);
        if (sibling !== undefined && !tainted.has(JSON.stringify(element.map(String)))) {
          tainted.set(JSON.stringify(element.map(String)), element);
          setAt(draft, element, structuredClone(sibling));
          continue;
        }
        target = target.slice(0, arrayIndex);
      }
      if (target.length === 0) return undefined;
      tainted.set(JSON.stringify(target.map(String)), target);
      replace(draft as Record<string, unknown>, target);
    }
    const parsed = environmentSpecSchema.safeParse(draft);
    if (parsed.success) return { spec: parsed.data, tainted: [...tainted.values()] };
    current = parsed.error.issues;
  }
  return undefined;
}

/** A plain-data element of the same array that no issue points into, to stand in for a rejected one. */
function siblingThatParses(draft: unknown, element: FieldPath, issues: readonly z.core.$ZodIssue[], tainted: ReadonlyMap<string, FieldPath>): unknown {
  const array = element.slice(0, -1).reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[String(key)] : undefined), draft);
  if (!Array.isArray(array)) return undefined;
  const arrayKey = element.slice(0, -1).map(String);
  const broken = new Set<number>();
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (path.length > arrayKey.length && arrayKey.every((part, index) => part === path[index])) broken.add(Number(path[arrayKey.length]));
  }
  for (const [, path] of tainted) {
    if (path.length === arrayKey.length + 1 && arrayKey.every((part, index) => part === String(path[index]))) broken.add(Number(path[arrayKey.length]));
  }
  const index = array.findIndex((_, candidate) => !broken.has(candidate));
  if (index < 0) return undefined;
  try {
    return structuredClone(array[index]);
  } catch {
    return undefined;
  }
}

function setAt(root: unknown, path: FieldPath, value: unknown): void {
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[String(key)] : undefined), root);
  if (typeof parent === 'object' && parent !== null) (parent as Record<string, unknown>)[String(path[path.length - 1])] = value;
}

function repairPaths(issues: readonly z.core.$ZodIssue[]): FieldPath[] {
  const paths = issues.flatMap((issue): FieldPath[] => {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => [...path, key]);
    return [path];
  });
  // A field with several issues (too long and not a DNS label) is repaired once: a second visit in the same round
  // would read as "the repair did not help" and climb to its parent.
  const unique = new Map(paths.map((path) => [JSON.stringify(path.map(String)), path]));
  return [...unique.values()];
}

/** Replaces the field at `path` with its stand-in when it has one, else removes it (optional fields take their default). */
function replace(root: Record<string, unknown>, path: FieldPath): void {
  let parent: unknown = root;
  let standIn: unknown = STAND_IN;
  // Own properties only: a key such as "constructor" must not find Object's.
  const own = (node: unknown, key: string) => (typeof node === 'object' && node !== null && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined);
  for (const part of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return;
    parent = own(parent, String(part));
    standIn = own(standIn, String(part));
  }
  if (typeof parent !== 'object' || parent === null) return;
  const last = String(path[path.length - 1]);
  const value = own(standIn, last);
  if (value === undefined) delete (parent as Record<string, unknown>)[last];
  else (parent as Record<string, unknown>)[last] = structuredClone(value);
}

/** A copy of the plain data in `value`: own enumerable string keys only, cycles cut, no getters kept. */
export function plainCopy(value: unknown, seen = new Set<object>(), depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth > 32) return undefined;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      for (let index = 0, length = Math.min(value.length, 100_000); index < length; index++) copy.push(plainCopy(value[index], seen, depth + 1));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__') continue;
      try {
        copy[key] = plainCopy((value as Record<string, unknown>)[key], seen, depth + 1);
      } catch {
        copy[key] = undefined; // an unreadable field (throwing getter): reported by the schema, tainted here
      }
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
