import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseProperties } from '../constructs/kafka/config/properties-file';
import { ReviewInputError } from './input-error';

/**
 * One synth root read into memory: what `npm run synth` wrote to `<root>/cdktf.out/stacks/<env>-<part>/cdk.tf.json`
 * and `<root>/dist/<env>/` (the layout contract in the README). The review never looks at specs, only at output,
 * so it judges exactly what would be applied.
 */

/** A Terraform JSON document of one stack, as cdktf wrote it. */
export type TerraformDocument = Record<string, any>;

/** A Kubernetes object as plain JSON, with the file it came from. */
export interface KubernetesObject {
  readonly file: string;
  readonly body: Record<string, any>;
}

/** The resolved config of one Kafka node, read back from `dist/<env>/kafka/<node>.properties`. */
export interface NodeConfig {
  readonly node: string;
  readonly properties: ReadonlyMap<string, string>;
  /** Kafka release from the file's header (`# Kafka 4.1.1 broker ...`), undefined when the header lacks it. */
  readonly kafkaVersion?: string;
}

export interface EnvironmentOutput {
  readonly name: string;
  /** The synth root it was read from (for messages). */
  readonly root: string;
  /** Stack name (`<env>-<part>`) → its Terraform document. */
  readonly stacks: ReadonlyMap<string, TerraformDocument>;
  /** `kubernetes/<file>.yaml` → its text, parsed on demand by differingObjects. */
  readonly kubernetesFiles: ReadonlyMap<string, string>;
  /** Node name → config, sorted by node name. */
  readonly nodes: ReadonlyMap<string, NodeConfig>;
  /** Node name → cloud-init user data (VM environments). */
  readonly cloudInit: ReadonlyMap<string, string>;
  /** `dist/<env>/topology.md` (a Mermaid picture of zones and nodes) when synth wrote one. */
  readonly topology?: string;
}

export interface SynthRoot {
  readonly dir: string;
  /** Environment name → its output, sorted by name. */
  readonly environments: ReadonlyMap<string, EnvironmentOutput>;
}

const STACKS = join('cdktf.out', 'stacks');
const DIST = 'dist';

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function readText(root: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ReviewInputError(`${root}: cannot read ${relative(root, path)}: ${(error as Error).message}`);
  }
}

function readStack(root: string, stack: string): TerraformDocument {
  const path = join(root, STACKS, stack, 'cdk.tf.json');
  if (!existsSync(path)) throw new ReviewInputError(`${root}: stack folder ${join(STACKS, stack)} has no cdk.tf.json`);
  try {
    const parsed = JSON.parse(readText(root, path));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed;
  } catch (error) {
    if (error instanceof ReviewInputError) throw error;
    throw new ReviewInputError(`${root}: ${relative(root, path)} is not Terraform JSON: ${(error as Error).message}`);
  }
}

function readKubernetesFiles(root: string, envDir: string): Map<string, string> {
  const dir = join(envDir, 'kubernetes');
  return new Map(listDir(dir).filter((name) => name.endsWith('.yaml')).map((file) => [`kubernetes/${file}`, readText(root, join(dir, file))]));
}

function parseDocument(output: EnvironmentOutput, file: string, index: number, text: string): KubernetesObject[] {
  const where = `${output.root}: dist/${output.name}/${file}`;
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new ReviewInputError(`${where} document ${index + 1} is not YAML: ${document.errors[0].message}`);
    const body = document.toJSON();
    if (body === null || body === undefined) return [];
    if (typeof body !== 'object' || typeof body.kind !== 'string' || typeof body.metadata?.name !== 'string') {
      throw new ReviewInputError(`${where} document ${index + 1} is not a Kubernetes object (no kind or metadata.name)`);
    }
    return [{ file, body }];
  });
}

/** The documents of a multi-document YAML text: a `---` line at column 0 can only separate documents. */
function documentTexts(text: string): string[] {
  return text.split(/^---[ \t]*$/m).filter((chunk) => chunk.trim() !== '');
}

export interface DifferingObjects {
  readonly base: readonly KubernetesObject[];
  readonly head: readonly KubernetesObject[];
}

const NONE: EnvironmentOutput = { name: '', root: '', stacks: new Map(), kubernetesFiles: new Map(), nodes: new Map(), cloudInit: new Map() };
const differing = new WeakMap<EnvironmentOutput, WeakMap<EnvironmentOutput, DifferingObjects>>();

/**
 * The Kubernetes objects whose YAML differs between two outputs, per side. A document byte-identical on both
 * sides holds the same object and is not parsed at all: YAML parsing is most of a review's time, and a typical
 * change touches a few of the ~50 documents of an environment. Everything that compares Kubernetes objects of
 * base and head reads these: identical objects contribute the same to both sides.
 */
export function differingObjects(base: EnvironmentOutput | undefined, head: EnvironmentOutput | undefined): DifferingObjects {
  const [left, right] = [base ?? NONE, head ?? NONE];
  let byHead = differing.get(left);
  if (!byHead) differing.set(left, (byHead = new WeakMap()));
  const cached = byHead.get(right);
  if (cached) return cached;
  const chunks = (output: EnvironmentOutput) => [...output.kubernetesFiles].flatMap(([file, text]) => documentTexts(text).map((chunk, index) => ({ file, index, chunk })));
  const [leftChunks, rightChunks] = [chunks(left), chunks(right)];
  const count = (list: readonly { chunk: string }[]) => {
    const counts = new Map<string, number>();
    for (const { chunk } of list) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
    return counts;
  };
  const [leftCounts, rightCounts] = [count(leftChunks), count(rightChunks)];
  const only = (output: EnvironmentOutput, list: typeof leftChunks, other: Map<string, number>) => {
    const remaining = new Map(other);
    return list.flatMap(({ file, index, chunk }) => {
      const left = remaining.get(chunk) ?? 0;
      if (left > 0) {
        remaining.set(chunk, left - 1);
        return [];
      }
      return parseDocument(output, file, index, chunk);
    });
  };
  const result = { base: only(left, leftChunks, rightCounts), head: only(right, rightChunks, leftCounts) };
  byHead.set(right, result);
  return result;
}

/** Every object of these kinds in the output; only documents that name one of the kinds are parsed. */
export function objectsOfKinds(output: EnvironmentOutput, kinds: readonly string[]): KubernetesObject[] {
  const wanted = new RegExp(`^kind: (${kinds.join('|')})\\s*$`, 'm');
  return [...output.kubernetesFiles].flatMap(([file, text]) =>
    documentTexts(text).flatMap((chunk, index) => (wanted.test(chunk) ? parseDocument(output, file, index, chunk) : [])).filter((object) => kinds.includes(object.body.kind)),
  );
}

/** Whether any Kubernetes file of the output mentions `text` (a cheap look without parsing). */
export function kubernetesMentions(output: EnvironmentOutput | undefined, text: string): boolean {
  return [...(output?.kubernetesFiles.values() ?? [])].some((content) => content.includes(text));
}

/** The output runs Kafka on Kubernetes (StatefulSets) rather than on VMs (cloud-init per node). */
export function runsOnKubernetes(output: EnvironmentOutput | undefined): boolean {
  return output !== undefined && output.cloudInit.size === 0 && output.kubernetesFiles.size > 0;
}

const HEADER = /^# Kafka (\d+\.\d+\.\d+) /;

function readNodes(root: string, envDir: string): Map<string, NodeConfig> {
  const dir = join(envDir, 'kafka');
  const nodes = new Map<string, NodeConfig>();
  for (const file of listDir(dir).filter((name) => name.endsWith('.properties'))) {
    const node = file.slice(0, -'.properties'.length);
    const path = join(dir, file);
    const text = readText(root, path);
    let properties: Map<string, string>;
    try {
      properties = parseProperties(text);
    } catch (error) {
      throw new ReviewInputError(`${root}: ${relative(root, path)}: ${(error as Error).message}`);
    }
    const version = HEADER.exec(text)?.[1];
    nodes.set(node, { node, properties, ...(version ? { kafkaVersion: version } : {}) });
  }
  return nodes;
}

function readCloudInit(root: string, envDir: string): Map<string, string> {
  const dir = join(envDir, 'vm');
  const suffix = '.cloud-init.yaml';
  return new Map(listDir(dir).filter((name) => name.endsWith(suffix)).map((file) => [file.slice(0, -suffix.length), readText(root, join(dir, file))]));
}

/** The environment a stack belongs to: the longest known environment name that prefixes `<env>-`. */
function environmentOfStack(stack: string, environments: readonly string[]): string | undefined {
  return environments.filter((name) => stack.startsWith(`${name}-`)).sort((a, b) => b.length - a.length)[0];
}

/** Reads a synth root; throws ReviewInputError naming the path when it is not one. */
export function readSynthRoot(dir: string): SynthRoot {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReviewInputError(`${dir}: no such folder (expected a synth root holding cdktf.out/ and dist/)`);
  const environmentNames = listDir(join(dir, DIST)).filter((name) => statSync(join(dir, DIST, name)).isDirectory());
  const stackNames = listDir(join(dir, STACKS)).filter((name) => statSync(join(dir, STACKS, name)).isDirectory());
  if (environmentNames.length === 0 && stackNames.length === 0) {
    throw new ReviewInputError(`${dir}: not a synth root: neither ${STACKS}/<env>-<part>/ nor ${DIST}/<env>/ exists (run npm run synth there first)`);
  }
  const stacksByEnvironment = new Map<string, string[]>();
  for (const stack of stackNames) {
    const environment = environmentOfStack(stack, environmentNames);
    if (environment === undefined) {
      throw new ReviewInputError(`${dir}: stack ${stack} belongs to no environment of ${DIST}/ (${environmentNames.join(', ') || 'none'}); stacks are named <env>-<part>`);
    }
    stacksByEnvironment.set(environment, [...(stacksByEnvironment.get(environment) ?? []), stack]);
  }
  const environments = new Map<string, EnvironmentOutput>();
  for (const name of environmentNames) {
    const envDir = join(dir, DIST, name);
    const topologyPath = join(envDir, 'topology.md');
    const topology = existsSync(topologyPath) ? readText(dir, topologyPath) : undefined;
    environments.set(name, {
      name,
      stacks: new Map((stacksByEnvironment.get(name) ?? []).map((stack) => [stack, readStack(dir, stack)])),
      root: dir,
      kubernetesFiles: readKubernetesFiles(dir, envDir),
      nodes: readNodes(dir, envDir),
      cloudInit: readCloudInit(dir, envDir),
      ...(topology !== undefined ? { topology } : {}),
    });
  }
  return { dir, environments };
}
