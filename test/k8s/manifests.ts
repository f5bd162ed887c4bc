import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { KafkaChart } from '../../charts/kafka-chart';
import { buildClusterModel, type ClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { renderServerProperties } from '../../constructs/kafka/config/server-properties';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { chartToYaml } from '../../synth/kubernetes-yaml';

/** A Kubernetes object as synthesized (parsed back from the YAML written to dist/). */
export type K8sObject = Record<string, any>;

export interface SynthesizedEnvironment {
  readonly model: ClusterModel;
  /** Every file of dist/<env>/, in memory. */
  readonly files: Map<string, string>;
  /** Every object of every dist/<env>/kubernetes/*.yaml file, in file order. */
  readonly objects: K8sObject[];
}

/**
 * The Kafka chart of one environment (`kubernetes/kafka.yaml`) and the node configs (`kafka/<node>.properties`),
 * rendered by the same functions `npm run synth` uses, without the other charts (faster to load and build).
 * `kubernetes-schema.test.ts` covers every file of the full synth.
 */
export function synthesizeKafka(input: EnvironmentSpec): SynthesizedEnvironment {
  const model = buildClusterModel(validateEnvironment(input));
  const files = new Map(model.nodes.map((node) => [`kafka/${node.name}.properties`, renderServerProperties(model, node)]));
  files.set('kubernetes/kafka.yaml', chartToYaml(new KafkaChart(new App({ outdir: 'unused' }), `${model.spec.name}-kafka`, model)));
  return { model, files, objects: objectsOfFiles(files) };
}

/** Every object of every `kubernetes/*.yaml` file, parsed back from YAML. */
export function objectsOfFiles(files: ReadonlyMap<string, string>): K8sObject[] {
  return [...files]
    .filter(([path]) => path.startsWith('kubernetes/') && path.endsWith('.yaml'))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([path, text]) =>
      parseAllDocuments(text).map((document) => {
        if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0].message}`);
        return document.toJS() as K8sObject;
      }),
    )
    .filter((object) => object !== null);
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
