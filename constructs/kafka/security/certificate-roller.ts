import type { ResolvedSpec } from '../spec/environment-spec';
import { brokerUpdateStrategy } from '../kubernetes/deployment-plan';
import type { NodeRole } from '../model/sizing';
import { brokerGroupName } from '../model/topology';
import { renderEnvFile } from '../config/env-file';
import rollerScript from './scripts/certificate-roller.sh';

/**
 * How renewed certificates reach running nodes. Kafka loads its PEM files at start and cert-manager renews them
 * in place, so a node must restart. Restarting every StatefulSet on a Secret change (Reloader-style) would restart
 * one broker per zone at once, i.e. up to every replica of a partition; instead a CronJob restarts at most one pod per
 * run through the Eviction API, which honours the PodDisruptionBudgets, and only while every Kafka pod is Ready:
 * controllers first, then brokers, each pod whose start predates its role's current certificate.
 *
 * The same one-pod-at-a-time mechanism finishes broker StatefulSet updates: with several zones brokers use
 * `updateStrategy: OnDelete` (Kubernetes would otherwise update every zone's StatefulSet at once), so a changed
 * template (a config change moves its checksum annotation) only reaches a broker when it restarts. Once no certificate
 * is pending, the roller evicts the first broker still running an older revision than its StatefulSet's
 * `updateRevision`; the StatefulSet re-creates it from the new template.
 */

export const ROLLER_SCRIPT_KEY = 'roll.sh';

/** Labels of the roller's pods (NetworkPolicy and RBAC select on them). */
export function certificateRollerLabels(spec: ResolvedSpec): Record<string, string> {
  return { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName, 'app.kubernetes.io/component': 'certificate-roller' };
}

export function certificateName(spec: ResolvedSpec, role: NodeRole): string {
  return `${spec.kafka.clusterName}-${role}`;
}

/** Broker StatefulSets whose pods only take a new template on restart, with each one's pod selector. */
export function onDeleteBrokerGroups(spec: ResolvedSpec): { name: string; selector: string }[] {
  if (brokerUpdateStrategy(spec) !== 'OnDelete') return [];
  return spec.aws.availabilityZones.map((zone) => ({
    name: brokerGroupName(spec, zone),
    selector: selector({ 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName, 'app.kubernetes.io/component': 'broker', 'kafka.zone': zone }),
  }));
}

function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** The roller script, byte for byte the file: the same for every cluster. */
export const ROLLER_SCRIPT: string = rollerScript;

/** Files of the roller's ConfigMap beside the script: its settings and its ordered steps. */
export const ROLLER_PLAN_FILES = { settings: 'roll.env', steps: 'roll.plan' } as const;

/**
 * What the roller looks at, as data: the namespace, the selector of every Kafka node pod, then one
 * `certificate|<Certificate>|<pod selector>` step per role (controllers first) and one
 * `statefulset|<StatefulSet>|<pod selector>` step per OnDelete broker StatefulSet.
 */
export function certificateRollerPlanFiles(spec: ResolvedSpec): Record<string, string> {
  if (spec.runtime.kind !== 'kubernetes') throw new Error('the certificate roller runs on Kubernetes only');
  const cluster = { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName };
  // Only the nodes: the cluster's job pods (this one included) share the other labels and are never Ready when done.
  const kafkaPods = `${selector(cluster)},app.kubernetes.io/component in (broker,controller)`;
  const roles: NodeRole[] = ['controller', 'broker'];
  const steps = [
    ...roles.map((role) => `certificate|${certificateName(spec, role)}|${selector({ ...cluster, 'app.kubernetes.io/component': role })}`),
    ...onDeleteBrokerGroups(spec).map((group) => `statefulset|${group.name}|${group.selector}`),
  ];
  return {
    [ROLLER_PLAN_FILES.settings]: renderEnvFile(`What the certificate roller of cluster ${spec.kafka.clusterName} watches. Generated; no secrets.`, [
      ['ROLLER_NAMESPACE', spec.runtime.namespace],
      ['KAFKA_POD_SELECTOR', kafkaPods],
    ]),
    [ROLLER_PLAN_FILES.steps]: steps.map((step) => `${step}\n`).join(''),
  };
}
