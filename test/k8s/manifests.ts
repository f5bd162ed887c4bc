import { parseAllDocuments } from 'yaml';
import { buildClusterModel, type ClusterModel } from '../../constructs/kafka/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/environment-spec';
import { validateEnvironment } from '../../constructs/kafka/validate';
import { environmentArtifacts } from '../../synth/environment-artifacts';

/** A Kubernetes object as synthesized (parsed back from the YAML written to dist/). */
export type K8sObject = Record<string, any>;

export interface SynthesizedEnvironment {
  readonly model: ClusterModel;
  /** Every file of dist/<env>/, in memory. */
  readonly files: Map<string, string>;
  /** Every object of every dist/<env>/kubernetes/*.yaml file, in file order. */
  readonly objects: K8sObject[];
}

/** Synthesizes one environment exactly like `npm run synth` does, without touching the disk. */
export function synthesizeEnvironment(input: EnvironmentSpec): SynthesizedEnvironment {
  const model = buildClusterModel(validateEnvironment(input));
  const files = environmentArtifacts(model);
  const objects = [...files]
    .filter(([path]) => path.startsWith('kubernetes/') && path.endsWith('.yaml'))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([path, text]) =>
      parseAllDocuments(text).map((document) => {
        if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0].message}`);
        return document.toJS() as K8sObject;
      }),
    )
    .filter((object) => object !== null);
  return { model, files, objects };
}

export function objectsOfKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function named(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}; have ${objectsOfKind(objects, kind).map((object) => object.metadata?.name).join(', ')}`);
  return found;
}

/** Whether a `matchLabels` selector selects an object with these labels. */
export function selects(matchLabels: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(matchLabels).every(([key, value]) => labels?.[key] === value);
}

/** Paths of every null (or undefined) value in a JSON tree. */
export function nullPaths(value: unknown, path = ''): string[] {
  if (value === null || value === undefined) return [path || '(root)'];
  if (Array.isArray(value)) return value.flatMap((item, index) => nullPaths(item, `${path}[${index}]`));
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => nullPaths(item, path ? `${path}.${key}` : key));
  }
  return [];
}
