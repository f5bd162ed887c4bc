import { parseAllDocuments } from 'yaml';
import { buildClusterModel } from '../../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../../constructs/kafka/spec/environment-spec';
import { environmentArtifacts } from '../../../synth/environment-artifacts';
import { resolved } from '../fixtures';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The files of `dist/<env>/` per spec object: synthesis is deterministic, and tests ask for several files of the same
 * spec. Only the text is kept; every call parses its own objects, so a test may change what it gets.
 */
const artifactsBySpec = new WeakMap<EnvironmentSpec, ReadonlyMap<string, string>>();

/** Every object of `dist/<env>/kubernetes/<file>` as synthesized, parsed back from the YAML. */
export function synthesizedObjects(input: EnvironmentSpec, file = 'security.yaml'): KubeObject[] {
  let files = artifactsBySpec.get(input);
  if (!files) {
    files = environmentArtifacts(buildClusterModel(resolved(input)));
    artifactsBySpec.set(input, files);
  }
  const text = files.get(`kubernetes/${file}`);
  if (text === undefined) throw new Error(`no kubernetes/${file} for ${input.name}`);
  return parseAllDocuments(text).map((document) => document.toJS() as KubeObject);
}

export function objectsOfKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}
