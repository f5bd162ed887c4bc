import fc from 'fast-check';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { pathOf } from '../../constructs/kafka/validation/partial-parse';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, aVmStagingSpec } from '../fixtures/environments';

/**
 * Mutations that make a valid spec invalid, each by construction: a value of another type, a hostile string or
 * number in a constrained field, an unknown key, a missing required field, or one of the known bad values of
 * issue 11. Each says which field the report must name.
 */

type Path = (string | number)[];
type Draft = Record<string, unknown>;

export interface AppliedMutation {
  readonly kind: string;
  /** The field the report must name (a problem's path equals it or lies inside it). */
  readonly path: string;
  /** False for rules across fields, which are skipped when another mutation broke a field they read. */
  readonly local: boolean;
}

/** Strings no constrained field accepts: each has a character (newline, `$`, space, NUL, quote) none allows. */
export const HOSTILE_STRINGS = [
  '${file("/etc/passwd")}',
  'a\nUser:evil|ALLOW|*|ALL|TOPIC|LITERAL|*',
  `${'x'.repeat(600)} y`,
  '-rf /',
  'nul\u0000byte',
  '%{ if true }x%{ endif }',
  '`id`',
  "'; rm -rf / #",
];

/** Numbers no numeric field accepts. */
export const HOSTILE_NUMBERS = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 1e-9, -0.5];

const cyclic = (): unknown => {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value;
};
const throwingToJson = () => ({ toJSON: () => { throw new Error('toJSON exploded'); } });
const throwingGetter = () => Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('getter exploded'); } });

/** Values of every JS type; a mutation picks one whose type differs from the field's. */
const OTHER_TYPES: (() => unknown)[] = [
  () => null,
  () => 42,
  () => 'text',
  () => true,
  () => [],
  () => 10n,
  () => () => 1,
  () => Symbol('s'),
  cyclic,
  throwingToJson,
  throwingGetter,
  () => new Date(0),
];
const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Map-valued fields, where any key is allowed (an added key is not "unknown") and values are free-form or checked elsewhere. */
const MAP_FIELDS = new Set(['tags', 'users', 'acls', 'nodeSelector', 'annotations', 'selectorLabels', 'namespaceLabels', 'podLabels', 'subnetIds', 'perZone']);
/** Free text (any string goes): hostile strings are not invalid there. */
const FREE_TEXT = /^tags[.[]|annotations[.[]|(summary|description|expr)$/;

const REQUIRED: Path[] = [
  ['name'], ['tier'], ['aws'], ['aws', 'region'], ['aws', 'availabilityZones'], ['aws', 'vpcCidr'], ['runtime'], ['runtime', 'kind'],
  ['kafka'], ['kafka', 'version'], ['kafka', 'clusterId'], ['kafka', 'controllers'], ['kafka', 'controllers', 'count'],
  ['kafka', 'controllers', 'storage'], ['kafka', 'brokers', 'perZone'], ['kafka', 'brokers', 'storage', 'sizeGiB'],
  ['kafka', 'replicationFactor'], ['kafka', 'minInsyncReplicas'], ['terraformState'], ['terraformState', 'bucket'],
];

/** The bad values issue 11 lists, and more of their kind: [field, value, local]. */
const KNOWN_BAD: [Path, unknown, boolean][] = [
  [['kafka', 'brokers', 'perZone'], 2 ** 32, true],
  [['kafka', 'controllers', 'count'], 2 ** 31 + 1, true],
  [['kafka', 'controllers', 'count'], 4, false],
  [['kafka', 'replicationFactor'], 99, false],
  [['kafka', 'image'], '-', true],
  [['kafka', 'image'], 'Apache/Kafka:4.1.1', true],
  [['kafka', 'clusterId'], 'not-a-cluster-id', false],
  [['kafka', 'brokers', 'size', 'heapGiB'], 1e-9, true],
  [['kafka', 'brokers', 'size', 'cpu'], 1e-9, true],
  [['kafka', 'nodeIds'], { firstController: 100, firstBroker: 100 }, false],
  [['kafka', 'nodeIds', 'firstController'], 2 ** 31, true],
  [['aws', 'vpcCidr'], '300.1.1.1/8', false],
  [['aws', 'vpcCidr'], '10.0.0.0/40', false],
  [['aws', 'vpcCidr'], '010.0.0.0/16', false],
  [['aws', 'region'], 'mars-north-1x', true],
  [['aws', 'clientCidrs'], ['10.0.0.0/33'], false],
  [['terraformState', 'region'], '', true],
  [['tags'], Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tag-${i}`, 'v'])), true],
  [['tags'], { 'aws:cloudformation:stack': 'x' }, true],
  [['security', 'reconcileSchedule'], '99 99 99 99 99', true],
  [['security', 'certificates', 'rollerSchedule'], '* * *', true],
  [['security', 'certificates', 'durationHours'], 10 ** 7, true],
  [['security', 'certificates', 'authority'], { mode: 'issuer', kind: 'ClusterIssuer', name: 'Bad Issuer' }, true],
  [['security', 'certificates', 'rollerImage'], '-', true],
  [['security', 'externalSecrets', 'refreshInterval'], '99999999999h', true],
  [['security', 'users'], { app: { password: { awsSecret: '${file("/etc/passwd")}' } } }, true],
  [['security', 'acls'], { app: [{ bundle: 'custom', resourceType: 'topic', name: 't', operations: ['Read'], host: '*\nUser:evil|ALLOW|*|ALL|TOPIC|LITERAL|*' }] }, true],
  [['security', 'acls'], { 'Bad Principal': [] }, true],
  [['security', 'network', 'apiServerCidrs'], ['10.0.0.0/40'], true],
  [['security', 'network', 'clients'], [{ namespace: 'apps', podLabels: { 'bad key!': 'x' } }], true],
  [['security', 'network', 'clients'], [{ namespace: 'apps', podLabels: { app: '-bad-' } }], true],
  [['monitoring', 'prometheusOperator', 'selectorLabels'], { release: 'x'.repeat(64) }, true],
  [['monitoring', 'jmxExporter'], { image: 'mirror/jmx:1', jarPath: '/opt/$(reboot).jar' }, true],
  [['name'], 'e'.repeat(41), true],
];
const RUNTIME_BAD: [Path, unknown][] = [
  [['runtime', 'storageClass'], { provisioner: 'not a provisioner' }],
  [['runtime', 'externalAccess'], { loadBalancerClass: '-' }],
  [['runtime', 'externalAccess'], { annotations: { 'bad key!': 'x' } }],
  [['runtime', 'externalAccess'], { sourceRanges: ['300.1.1.1/8'] }],
  [['runtime', 'nodeSelector'], { 'kubernetes.io/x': 'y'.repeat(64) }],
  [['runtime', 'tolerations'], [{ key: '-', operator: 'Exists' }]],
];

/** Own data properties, never invoking a getter an earlier mutation planted. */
function entriesOf(value: object): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((item, index) => [index, item]);
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) entries.push([key, descriptor.value]);
  }
  return entries;
}

function leaves(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [path];
  if (path.length > 8) return []; // a cyclic value planted by an earlier mutation
  const entries = entriesOf(value);
  if (entries.length === 0) return [];
  return entries.flatMap(([key, item]) => leaves(item, [...path, key]));
}

function objects(value: unknown, path: Path = []): Path[] {
  if (path.length > 8) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return Array.isArray(value) ? value.flatMap((item, index) => objects(item, [...path, index])) : [];
  }
  const here = MAP_FIELDS.has(String(path[path.length - 1])) ? [] : [path];
  return [...here, ...entriesOf(value).flatMap(([key, item]) => objects(item, [...path, key]))];
}

function get(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => {
    if (typeof node !== 'object' || node === null) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(node, key);
    return descriptor && 'value' in descriptor ? descriptor.value : undefined;
  }, root);
}

function set(root: Draft, path: Path, value: unknown): void {
  let node: Draft = root;
  for (const key of path.slice(0, -1)) {
    const next = get(node, [key]);
    if (typeof next !== 'object' || next === null) Object.defineProperty(node, key, { value: {}, enumerable: true, configurable: true, writable: true });
    node = get(node, [key]) as Draft;
  }
  Object.defineProperty(node, path[path.length - 1], { value, enumerable: true, configurable: true, writable: true });
}

/** A path as problems print it. */
export const printPath = (path: Path): string => pathOf(path);

export interface MutationChoice {
  readonly kind: 'type' | 'string' | 'number' | 'unknown-key' | 'missing' | 'known';
  readonly pick: number;
  readonly value: number;
}

/** Applies one mutation to `draft` (in place); returns what it did, or undefined when it found no field for it. */
function applyOne(draft: Draft, choice: MutationChoice): AppliedMutation | undefined {
  const { kind, pick, value } = choice;
  if (kind === 'type') {
    const allLeaves = leaves(draft);
    const path = allLeaves[pick % allLeaves.length];
    const current = get(draft, path);
    const candidates = OTHER_TYPES.filter((make) => typeOf(make()) !== typeOf(current));
    set(draft, path, candidates[value % candidates.length]());
    return { kind, path: printPath(path), local: true };
  }
  if (kind === 'string' || kind === 'number') {
    const fitting = leaves(draft).filter((path) => typeof get(draft, path) === kind && !FREE_TEXT.test(printPath(path)));
    if (fitting.length === 0) return undefined;
    const path = fitting[pick % fitting.length];
    set(draft, path, kind === 'string' ? HOSTILE_STRINGS[value % HOSTILE_STRINGS.length] : HOSTILE_NUMBERS[value % HOSTILE_NUMBERS.length]);
    return { kind, path: printPath(path), local: true };
  }
  if (kind === 'unknown-key') {
    const targets = objects(draft);
    const path = targets[pick % targets.length];
    const key = ['typo', '__proto__', 'constructor', 'toString', 'hasOwnProperty'][value % 5];
    Object.defineProperty(get(draft, path) ?? draft, key, { value: 'x', enumerable: true, configurable: true, writable: true });
    return { kind, path: printPath([...path, key]), local: true };
  }
  if (kind === 'missing') {
    const path = REQUIRED[pick % REQUIRED.length];
    const parent = get(draft, path.slice(0, -1));
    if (typeof parent !== 'object' || parent === null) return undefined;
    delete (parent as Draft)[path[path.length - 1]];
    return { kind, path: printPath(path), local: true };
  }
  const runtimeKind = (draft.runtime as Draft | undefined)?.kind;
  const catalogue: [Path, unknown, boolean][] = [...KNOWN_BAD, ...(runtimeKind === 'kubernetes' ? RUNTIME_BAD.map(([path, bad]) => [path, bad, true] as [Path, unknown, boolean]) : [])];
  const [path, bad, local] = catalogue[pick % catalogue.length];
  set(draft, path, structuredClone(bad));
  return { kind, path: printPath(path), local };
}

export const BASES: (() => EnvironmentSpec)[] = [aThreeZoneProdSpec, aVmStagingSpec, aSingleZoneDevSpec];

/** An invalid spec: a base (a fixture or a generated valid spec) with one to three mutations. */
export function invalidSpec(validBase: fc.Arbitrary<EnvironmentSpec>): fc.Arbitrary<{ spec: EnvironmentSpec; mutations: AppliedMutation[] }> {
  const choice = fc.record({
    kind: fc.constantFrom('type', 'string', 'number', 'unknown-key', 'missing', 'known', 'known') as fc.Arbitrary<MutationChoice['kind']>,
    pick: fc.nat(),
    value: fc.nat(),
  });
  return fc
    .tuple(fc.oneof(fc.constantFrom(...BASES).map((make) => make()), validBase), fc.array(choice, { minLength: 1, maxLength: 3 }))
    .map(([base, choices]) => {
      const draft = structuredClone(base) as unknown as Draft;
      const mutations = choices.flatMap((one) => applyOne(draft, one) ?? []);
      if (mutations.length === 0) mutations.push(applyOne(draft, { kind: 'type', pick: 0, value: 0 })!);
      return { spec: draft as unknown as EnvironmentSpec, mutations };
    });
}
