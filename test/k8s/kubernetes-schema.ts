import type { K8sObject } from './manifests';

/**
 * Validates an object against the Kubernetes OpenAPI schema (kubernetes-models) or, for the CRDs we emit, against
 * the CRD packages. Returns the kinds it has no schema for, so a test can decide what that means.
 */
type ModelClass = new (object: K8sObject) => { validate(): void };

/** Looked up once per module and kind: a module that is not installed costs jest a folder search on every require. */
const loaded = new Map<string, ModelClass | undefined>();

function load(moduleName: string, kind: string): ModelClass | undefined {
  const key = `${moduleName}#${kind}`;
  if (!loaded.has(key)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded.set(key, (require(moduleName) as Record<string, ModelClass>)[kind]);
    } catch {
      loaded.set(key, undefined);
    }
  }
  return loaded.get(key);
}

/** The schema class of an object's apiVersion and kind, or undefined when no installed package covers it. */
export function schemaOf(object: K8sObject): ModelClass | undefined {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  return (
    load(`kubernetes-models/${apiVersion}`, kind) ??
    load(`@kubernetes-models/cert-manager/${apiVersion}`, kind) ??
    load(`@kubernetes-models/prometheus-operator/${apiVersion}`, kind)
  );
}

/** Schema errors of one object, as text; empty when valid. */
export function schemaErrors(object: K8sObject): string[] {
  const Model = schemaOf(object);
  if (!Model) return [];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${object.kind} ${object.metadata?.name}: ${(error as Error).message}`];
  }
}
