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

/** The packages with schema classes, in the order they are asked. */
export const SCHEMA_PACKAGES = ['kubernetes-models', '@kubernetes-models/cert-manager', '@kubernetes-models/prometheus-operator'] as const;

/**
 * The schema class of `kind` in `apiVersion` from one package: its own module first (`<package>/<apiVersion>/<kind>`),
 * which loads that class and its schema alone, where the group's index loads every class of the group (the whole
 * kubernetes-models package costs ~1 s of CPU per test file); the index only for a kind without a module of its name.
 */
export function schemaClass(packageName: string, apiVersion: string, kind: string): ModelClass | undefined {
  if (!/^[A-Za-z0-9.\/-]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  return load(`${packageName}/${apiVersion}/${kind}`, kind) ?? load(`${packageName}/${apiVersion}`, kind);
}

/** The schema class of an object's apiVersion and kind, or undefined when no installed package covers it. */
export function schemaOf(object: K8sObject): ModelClass | undefined {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  for (const packageName of SCHEMA_PACKAGES) {
    const Model = schemaClass(packageName, apiVersion, kind);
    if (Model) return Model;
  }
  return undefined;
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
