import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { clusterLabels } from '../labels';

/** Labels of the security objects of a cluster: the cluster's labels plus the component that made them. */
export function securityLabels(spec: ResolvedSpec, component: string): Record<string, string> {
  return { ...clusterLabels(spec), 'app.kubernetes.io/component': component };
}
