import { k8s } from 'cdk8s-plus-27';
import { posix } from 'node:path';
import { ADMIN_USER, type ClusterModel } from '../kafka/model/cluster-model';
import {
  ADMIN_PASSWORD_ENV,
  LOGGING_CONFIG_KEY,
  POD_NAME_ENV,
  createsAdminAtFormat,
  KAFKA_FORMAT_SCRIPT,
  KAFKA_START_SCRIPT,
  kafkaFormatEnvironment,
  kafkaStartEnvironment,
} from '../kafka/kubernetes/start-script';
import {
  KUBERNETES_CONFIG_DIR,
  KUBERNETES_LOG_DIR,
  type NodeGroup,
  configMapName,
  cpuQuantity,
  kafkaImage,
  kubernetesRuntime,
  memoryQuantity,
  priorityClassName,
} from '../kafka/kubernetes/deployment-plan';
import { JMX_EXPORTER_INSTALL_SCRIPT, jmxExporterAgent, jmxExporterInstallEnvironment, jmxExporterJavaAgentOption } from '../kafka/monitoring/jmx-exporter-agent';
import type { KafkaListener } from '../kafka/model/listeners';
import { kafkaPodPlacement } from '../kafka/model/placement';
import { KAFKA_PATHS } from '../kafka/model/paths';
import { tlsSecretName, userCredentialsSecretName } from '../kafka/model/names';
import { heapOptions } from '../kafka/config/server-properties';
import type { NodeRole } from '../kafka/model/sizing';
import { roleSelector } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './restricted-security-context';

/** A named container port; NetworkPolicies, Services and PodMonitors refer to these names. */
export interface KafkaContainerPort {
  /**
   * Port name: the listener's key (`client`, `replication`, `controller`, `external`) or `metrics` for the JMX
   * exporter.
   */
  readonly name: KafkaListener['key'] | 'metrics';
  /** Port number the container listens on. */
  readonly containerPort: number;
}

/** Name of the ConfigMap with the JMX exporter rules (written by the monitoring constructs). */
export function jmxExporterConfigMapName(model: ClusterModel): string {
  return `${model.spec.kafka.clusterName}-jmx-exporter`;
}

const ZONE_LABEL = 'topology.kubernetes.io/zone';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** The volume claim template (and volume) holding `log.dirs`. */
export const DATA_VOLUME = 'data';

/** The ports a role's pods open: the listeners it binds, and the metrics port when the exporter runs. */
export function kafkaContainerPorts(model: ClusterModel, role: NodeRole): KafkaContainerPort[] {
  const ports: KafkaContainerPort[] = model.listeners
    .filter((listener) => listener.boundBy === role)
    .map((listener) => ({ name: listener.key, containerPort: listener.port }));
  if (model.spec.monitoring.enabled) ports.push({ name: 'metrics', containerPort: model.spec.monitoring.jmxExporterPort });
  return ports;
}

/** Whether any listener a role binds or dials uses TLS: then it needs its certificate Secret. */
function usesTls(model: ClusterModel, role: NodeRole): boolean {
  return model.listeners.some((listener) => listener.tls && (role === 'broker' || listener.boundBy === role));
}

/**
 * Kubernetes-side placement. Brokers are pinned to their zone (the zone is their `broker.rack`, so a broker that
 * moved zones would lie about its rack). Controllers may use any zone of the environment but spread evenly with
 * at most one more in any zone than in another, so losing a zone loses as few voters as possible; `minDomains`
 * keeps a controller pending rather than doubling up when a zone has no schedulable node.
 */
/**
 * Dedicated Kafka nodes (the `<env>-nodes` EKS node groups) carry labels and a taint from the placement contract;
 * pods select and tolerate them, plus whatever the spec adds.
 */
function nodePlacement(model: ClusterModel, role: NodeRole): Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations'> {
  const runtime = kubernetesRuntime(model.spec);
  const dedicated = kafkaPodPlacement(model.spec, role);
  const nodeSelector = { ...dedicated?.nodeSelector, ...runtime.nodeSelector };
  const tolerations = [...(dedicated?.tolerations ?? []), ...runtime.tolerations].map((toleration) => ({ ...toleration }));
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
  };
}

function affinityAndSpread(model: ClusterModel, group: NodeGroup): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  const zones = group.zone ? [group.zone] : model.spec.aws.availabilityZones;
  const selector = { matchLabels: roleSelector(model.spec, group.role) };
  const affinity: k8s.Affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [...zones] }] }],
      },
    },
    // Two Kafka nodes of a role on one machine would fail together; prefer separate machines.
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { topologyKey: HOSTNAME_LABEL, labelSelector: selector } },
      ],
    },
  };
  if (group.role === 'broker' || zones.length === 1) return { affinity };
  return {
    affinity,
    topologySpreadConstraints: [
      {
        topologyKey: ZONE_LABEL,
        maxSkew: 1,
        whenUnsatisfiable: 'DoNotSchedule',
        minDomains: zones.length,
        labelSelector: selector,
      },
    ],
  };
}

/** Env of the Kafka container: pod name, heap, logging, JVM agent and (with SCRAM) the admin password reference. */
function kafkaEnv(model: ClusterModel, group: NodeGroup): k8s.EnvVar[] {
  const kafkaOpts = ['-XX:+ExitOnOutOfMemoryError'];
  if (model.spec.monitoring.enabled) kafkaOpts.push(jmxExporterJavaAgentOption(model));
  return [
    POD_NAME_VARIABLE,
    ...kafkaStartEnvironment(group.role),
    { name: 'KAFKA_HEAP_OPTS', value: heapOptions(model, group.nodes[0]) },
    { name: 'KAFKA_OPTS', value: kafkaOpts.join(' ') },
    { name: 'LOG_DIR', value: KUBERNETES_LOG_DIR },
    { name: 'KAFKA_LOG4J_OPTS', value: `-Dlog4j2.configurationFile=file:${KUBERNETES_CONFIG_DIR}/${LOGGING_CONFIG_KEY}` },
  ];
}

const POD_NAME_VARIABLE: k8s.EnvVar = { name: POD_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } };

/**
 * The init container that formats the pod's storage: the only container that ever sees the admin password
 * (controllers of a SCRAM cluster, and only while their storage is unformatted), so the long-running Kafka
 * process holds no password in its environment or arguments.
 */
function formatContainer(model: ClusterModel, group: NodeGroup, mounts: readonly k8s.VolumeMount[], uid: number): k8s.Container {
  const env: k8s.EnvVar[] = [
    POD_NAME_VARIABLE,
    ...kafkaFormatEnvironment(model, group.role),
    // kafka-storage.sh is a short-lived JVM; the root filesystem is read-only, so its logs go to the log volume.
    { name: 'KAFKA_HEAP_OPTS', value: '-Xmx256m' },
    { name: 'LOG_DIR', value: KUBERNETES_LOG_DIR },
  ];
  if (createsAdminAtFormat(model, group.role)) {
    env.push({ name: ADMIN_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: userCredentialsSecretName(model.spec, ADMIN_USER), key: 'password' } } });
  }
  return {
    name: 'kafka-format',
    image: kafkaImage(model.spec),
    imagePullPolicy: kubernetesRuntime(model.spec).imagePullPolicy,
    command: ['sh', '-c', KAFKA_FORMAT_SCRIPT],
    env,
    resources: {
      requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('512Mi') },
      limits: { memory: k8s.Quantity.fromString('512Mi') },
    },
    securityContext: restrictedContainerSecurityContext(uid),
    volumeMounts: mounts.filter((mount) => mount.name !== 'tls').map((mount) => ({ ...mount })),
  };
}

/** Probes on the role's own listener: Kafka accepts connections there only once it serves it. */
function probes(role: NodeRole): Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  const port = k8s.IntOrString.fromString(role === 'broker' ? 'client' : 'controller');
  return {
    // Log recovery after an unclean stop can take long on a big broker: allow 30 minutes before liveness applies.
    startupProbe: { tcpSocket: { port }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 180 },
    readinessProbe: { tcpSocket: { port }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    // Generous: restarting a slow but working broker (a long GC pause) costs far more than waiting a minute.
    livenessProbe: { tcpSocket: { port }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
  };
}

/** The pod template of one StatefulSet; `configChecksum` goes on it so a config change rolls the pods. */
export function kafkaPodTemplate(
  model: ClusterModel,
  group: NodeGroup,
  labels: Record<string, string>,
  configChecksum: string,
  serviceAccountName: string,
): k8s.PodTemplateSpec {
  const { spec } = model;
  const runtime = kubernetesRuntime(spec);
  const uid = runtime.runAsUser;
  const sizing = model.sizing[group.role];
  const resources = { cpu: k8s.Quantity.fromString(cpuQuantity(sizing.cpu)), memory: k8s.Quantity.fromString(memoryQuantity(sizing.memoryGiB)) };
  const volumes: k8s.Volume[] = [
    { name: 'config', configMap: { name: configMapName(spec) } },
    // The root filesystem is read-only; the JVM and the compression libraries' native code need a writable /tmp.
    { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
    { name: 'logs', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
  ];
  const mounts: k8s.VolumeMount[] = [
    { name: DATA_VOLUME, mountPath: group.dataPath },
    { name: 'config', mountPath: KUBERNETES_CONFIG_DIR, readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
    { name: 'logs', mountPath: KUBERNETES_LOG_DIR },
  ];
  if (usesTls(model, group.role)) {
    volumes.push({ name: 'tls', secret: { secretName: tlsSecretName(spec, group.role), defaultMode: 0o440 } });
    mounts.push({ name: 'tls', mountPath: KAFKA_PATHS.tlsDir, readOnly: true });
  }
  const initContainers: k8s.Container[] = [formatContainer(model, group, mounts, uid)];
  if (spec.monitoring.enabled) {
    const agent = jmxExporterAgent(spec);
    const jarDir = posix.dirname(KAFKA_PATHS.jmxExporterJar);
    volumes.push(
      { name: 'jmx-exporter-agent', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
      {
        name: 'jmx-exporter-config',
        configMap: { name: jmxExporterConfigMapName(model), items: [{ key: 'jmx-exporter.yaml', path: posix.basename(KAFKA_PATHS.jmxExporterConfig) }] },
      },
    );
    mounts.push(
      { name: 'jmx-exporter-agent', mountPath: jarDir, readOnly: true },
      { name: 'jmx-exporter-config', mountPath: posix.dirname(KAFKA_PATHS.jmxExporterConfig), readOnly: true },
    );
    initContainers.push({
      name: 'jmx-exporter-agent',
      image: agent.initImage,
      imagePullPolicy: runtime.imagePullPolicy,
      command: ['sh', '-c', JMX_EXPORTER_INSTALL_SCRIPT],
      env: jmxExporterInstallEnvironment(agent),
      volumeMounts: [{ name: 'jmx-exporter-agent', mountPath: jarDir }],
      securityContext: restrictedContainerSecurityContext(uid),
      resources: {
        requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('32Mi') },
        limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('64Mi') },
      },
    });
  }
  const terminationGracePeriodSeconds =
    group.role === 'broker' ? runtime.brokerTerminationGracePeriodSeconds : runtime.controllerTerminationGracePeriodSeconds;
  return {
    metadata: { labels, annotations: { 'checksum/config': configChecksum } },
    spec: {
      serviceAccountName,
      automountServiceAccountToken: false,
      // Service environment variables (KAFKA_PORT=tcp://..., one set per Service) would only confuse Kafka's scripts.
      enableServiceLinks: false,
      priorityClassName: priorityClassName(spec),
      terminationGracePeriodSeconds,
      securityContext: restrictedPodSecurityContext(uid),
      ...affinityAndSpread(model, group),
      ...nodePlacement(model, group.role),
      ...(runtime.imagePullSecrets.length > 0 ? { imagePullSecrets: runtime.imagePullSecrets.map((name) => ({ name })) } : {}),
      initContainers,
      containers: [
        {
          name: 'kafka',
          image: kafkaImage(spec),
          imagePullPolicy: runtime.imagePullPolicy,
          command: ['sh', '-c', KAFKA_START_SCRIPT],
          env: kafkaEnv(model, group),
          ports: kafkaContainerPorts(model, group.role).map((port) => ({ ...port, protocol: 'TCP' })),
          // Memory request = limit: a broker is never OOM-killed for using memory it was promised.
          resources: { requests: resources, limits: resources },
          ...probes(group.role),
          volumeMounts: mounts,
          securityContext: restrictedContainerSecurityContext(uid),
        },
      ],
      volumes,
    },
  };
}
