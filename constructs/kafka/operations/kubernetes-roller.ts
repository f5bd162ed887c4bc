import { renderEnvFile } from '../config/env-file';
import { type ClusterModel } from '../model/cluster-model';
import { type KafkaNode, controllerGroupName } from '../model/topology';
import type { NodeRole } from '../model/sizing';
import type { ResolvedSpec } from '../spec/environment-spec';
import { brokerUpdateStrategy, kubernetesRuntime } from '../kubernetes/deployment-plan';
import { adminConnectionFile, CONNECTION_FILE } from './admin-connection';
import { featureLevelsFile, featuresPlanFile } from './feature-levels';
import adminLibrary from './scripts/kafka-admin.sh';
import rollerScript from './scripts/roll-kubernetes.sh';

/**
 * The roller of a Kubernetes cluster: a CronJob that restarts the Kafka pods needing it, one at a time, and never
 * one whose absence would cost a write (`scripts/roll-kubernetes.sh`, checks in `scripts/kafka-admin.sh`).
 *
 * Pod readiness is not enough: Kafka reports a broker Ready once it is unfenced, before its replicas are back in
 * sync, and with RF 3, min.insync.replicas 2 and a replica per zone the next restart would then fail acks=all
 * producers. So every StatefulSet, the controllers' too, uses `OnDelete`, and only this roller restarts pods: for a
 * renewed certificate (Kafka reads its PEM files at start), and for a new template (image, config checksum), which a
 * pod only takes when re-created. Evictions honour the PodDisruptionBudgets. When every pod is current, the roller
 * raises the spec's feature levels (`kafka.features`), so they move only after every node runs the new release.
 */

/** Files of the roller's ConfigMap. */
export const ROLLER_FILES = {
  script: 'roll.sh',
  library: 'kafka-admin.sh',
  settings: 'roll.env',
  steps: 'roll.plan',
  nodes: 'roll.nodes',
  features: 'features.plan',
  featureLevels: 'feature-levels',
  connection: CONNECTION_FILE,
} as const;

/** Where the roller's pod mounts its plan and the admin's connection files. */
export const ROLLER_PATHS = { plan: '/etc/kafka-roller/plan', admin: '/etc/kafka-roller/admin', tools: '/opt/roller-tools' } as const;

/** The scripts, byte for byte the files: the same for every cluster. */
export const ROLLER_SCRIPT: string = rollerScript;
export const KAFKA_ADMIN_LIBRARY: string = adminLibrary;

export function kafkaRollerName(spec: ResolvedSpec): string {
  return `${spec.kafka.clusterName}-roller`;
}

/** Labels of the roller's pods (NetworkPolicy and RBAC select on them). */
export function kafkaRollerLabels(spec: ResolvedSpec): Record<string, string> {
  return { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName, 'app.kubernetes.io/component': 'roller' };
}

/** cert-manager Certificate of a role's nodes, when the cluster uses TLS (the name NodeCertificate gives it). */
export function roleCertificateName(model: ClusterModel, role: NodeRole): string | undefined {
  return model.listeners.some((listener) => listener.tls) ? `${model.spec.kafka.clusterName}-${role}` : undefined;
}

/** Every StatefulSet uses OnDelete unless the spec asks otherwise for brokers: the roller decides when a pod restarts. */
export function controllerUpdateStrategy(): 'OnDelete' {
  return 'OnDelete';
}

export interface RollGroup {
  readonly role: NodeRole;
  readonly statefulSet: string;
  /** Whether the roller re-creates outdated pods of it (OnDelete); RollingUpdate groups are left to Kubernetes. */
  readonly rollsRevisions: boolean;
  readonly podSelector: string;
  readonly certificate?: string;
}

function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** The roller's steps in order: the controller quorum, then each zone's brokers. */
export function rollGroups(model: ClusterModel): RollGroup[] {
  const { spec } = model;
  kubernetesRuntime(spec);
  const cluster = { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName };
  const brokersRollRevisions = brokerUpdateStrategy(spec) === 'OnDelete';
  const controllerCertificate = roleCertificateName(model, 'controller');
  const brokerCertificate = roleCertificateName(model, 'broker');
  return [
    {
      role: 'controller',
      statefulSet: controllerGroupName(spec),
      rollsRevisions: true,
      podSelector: selector({ ...cluster, 'app.kubernetes.io/component': 'controller' }),
      ...(controllerCertificate ? { certificate: controllerCertificate } : {}),
    },
    ...[...new Set(model.nodes.filter((node) => node.role === 'broker').map((node) => node.group))].map((group): RollGroup => {
      const zone = model.nodes.find((node) => node.group === group)?.zone ?? '';
      return {
        role: 'broker',
        statefulSet: group,
        rollsRevisions: brokersRollRevisions,
        podSelector: selector({ ...cluster, 'app.kubernetes.io/component': 'broker', 'kafka.zone': zone }),
        ...(brokerCertificate ? { certificate: brokerCertificate } : {}),
      };
    }),
  ];
}

/** Whether a broker at min ISR blocks its restart: always, except where dev turns it off (or leaves it to its default). */
export function protectsMinInsyncReplicas(spec: ResolvedSpec): boolean {
  return spec.operations.rolling.protectMinInsyncReplicas ?? spec.tier !== 'dev';
}

/** Seconds one run may take: every node restarted, each with its full catch-up wait twice (pod back, then in sync). */
export function rollerDeadlineSeconds(model: ClusterModel): number {
  return model.nodes.length * 2 * model.spec.operations.rolling.catchUpTimeoutSeconds + 600;
}

function nodeLine(node: KafkaNode): string {
  return `${node.name}|${node.nodeId}\n`;
}

/** The ConfigMap's data: both scripts and the plan, as data. */
export function kafkaRollerFiles(model: ClusterModel): Record<string, string> {
  const { spec } = model;
  const { rolling } = spec.operations;
  const cluster = { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName };
  return {
    [ROLLER_FILES.script]: ROLLER_SCRIPT,
    [ROLLER_FILES.library]: KAFKA_ADMIN_LIBRARY,
    [ROLLER_FILES.settings]: renderEnvFile(`What the roller of cluster ${spec.kafka.clusterName} watches and how long it waits. Generated; no secrets.`, [
      ['ROLLER_NAMESPACE', kubernetesRuntime(spec).namespace],
      // Only the nodes: the cluster's job pods (this one included) share the other labels.
      ['KAFKA_POD_SELECTOR', `${selector(cluster)},app.kubernetes.io/component in (broker,controller)`],
      ['NODE_COUNT', model.nodes.length],
      ['CONTROLLER_COUNT', model.controllers.length],
      ['CATCH_UP_TIMEOUT_SECONDS', rolling.catchUpTimeoutSeconds],
      ['POLL_SECONDS', rolling.pollSeconds],
      ['QUORUM_CAUGHT_UP_MS', rolling.quorumCaughtUpMs],
      ['PROTECT_MIN_ISR', protectsMinInsyncReplicas(spec)],
    ]),
    [ROLLER_FILES.steps]: rollGroups(model)
      .map((group) => `${group.role}|${group.rollsRevisions ? group.statefulSet : '-'}|${group.podSelector}|${group.certificate ?? '-'}\n`)
      .join(''),
    [ROLLER_FILES.nodes]: model.nodes.map(nodeLine).join(''),
    [ROLLER_FILES.features]: featuresPlanFile(spec),
    [ROLLER_FILES.featureLevels]: featureLevelsFile(),
    [ROLLER_FILES.connection]: adminConnectionFile(model),
  };
}
