import { type ApiObject, JsonPatch } from 'cdk8s';

/**
 * A chart with a namespace stamps it on every object, cluster-scoped ones included. The API server ignores it there,
 * but GitOps tools then report a permanent diff, so cluster-scoped objects drop it.
 */
export function clusterScoped<T extends ApiObject>(object: T): T {
  object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return object;
}
