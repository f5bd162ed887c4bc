import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import type { NodeRole } from '../kafka/model/sizing';

/**
 * Labels are the contract between pods and everything that selects them (Services, PDBs, NetworkPolicies,
 * PodMonitors, alerts): selectors use these labels, never pod-name patterns.
 */

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

/** Selects every Kafka node of a role (all zones): what the broker PDB, Services and policies select on. */
export function roleSelector(spec: ResolvedSpec, role: NodeRole): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kafka',
    'app.kubernetes.io/instance': spec.kafka.clusterName,
    'app.kubernetes.io/component': role,
  };
}

/** Selects the pods of one StatefulSet: a role, and for brokers one zone. */
export function groupSelector(spec: ResolvedSpec, role: NodeRole, zone?: string): Record<string, string> {
  return { ...roleSelector(spec, role), ...(zone ? { 'kafka.zone': zone } : {}) };
}

/** Labels of a Kafka pod: cluster labels plus its role and, for brokers, its zone. */
export function podLabels(spec: ResolvedSpec, role: NodeRole, zone?: string): Record<string, string> {
  return { ...clusterLabels(spec), ...groupSelector(spec, role, zone) };
}

/** Selector and labels of a monitoring workload deployed beside the cluster (the bundled Prometheus, Alertmanager, Grafana). */
export function monitoringWorkloadLabels(
  spec: ResolvedSpec,
  app: string,
  instance: string,
): { selector: Record<string, string>; labels: Record<string, string> } {
  const selector = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': instance };
  return { selector, labels: { ...clusterLabels(spec), ...selector, 'app.kubernetes.io/component': 'monitoring' } };
}
