import type { ResolvedSpec } from '../kafka/environment-spec';

/** The recommended `app.kubernetes.io/*` labels shared by every object of a cluster. */
export function clusterLabels(spec: ResolvedSpec): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kafka',
    'app.kubernetes.io/instance': spec.kafka.clusterName,
    'app.kubernetes.io/part-of': spec.kafka.clusterName,
    'app.kubernetes.io/managed-by': 'kafka-typed-infra',
    'kafka.environment': spec.name,
  };
}
