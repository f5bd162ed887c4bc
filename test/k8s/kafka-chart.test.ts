import { parseProperties } from '../../constructs/kafka/config/properties-file';
import { ADMIN_USER } from '../../constructs/kafka/model/cluster-model';
import { KAFKA_PATHS } from '../../constructs/kafka/model/paths';
import { tlsSecretName, userCredentialsSecretName } from '../../constructs/kafka/model/names';
import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { aThreeZoneProdSpec } from '../fixtures/environments';
import { type K8sObject, named, objectsOfKind, selects, synthesizeKafka } from './manifests';
import { KAFKA_FORMAT_SCRIPT, KAFKA_START_SCRIPT } from '../../constructs/kafka/kubernetes/start-script';

const ZONE = 'topology.kubernetes.io/zone';
const podSpecOf = (set: K8sObject) => set.spec.template.spec;
const roleOf = (set: K8sObject) => set.spec.template.metadata.labels['app.kubernetes.io/component'];
const podsOf = (set: K8sObject) => Array.from({ length: set.spec.replicas }, (_, ordinal) => `${set.metadata.name}-${ordinal}`);
const pinnedZones = (set: K8sObject): string[] =>
  podSpecOf(set).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.flatMap((term: K8sObject) =>
    term.matchExpressions.filter((expression: K8sObject) => expression.key === ZONE).flatMap((expression: K8sObject) => expression.values),
  );

describe.each([
  ['prod', prod],
  ['dev', dev],
])('the Kubernetes runtime of %s', (_, input) => {
  const { model, objects } = synthesizeKafka(input);
  const { spec } = model;
  const namespace = spec.runtime.kind === 'kubernetes' ? spec.runtime.namespace : '';
  const sets = objectsOfKind(objects, 'StatefulSet');
  const brokerSets = sets.filter((set) => roleOf(set) === 'broker');
  const [controllerSet] = sets.filter((set) => roleOf(set) === 'controller');
  const configMap = named(objects, 'ConfigMap', `${spec.kafka.clusterName}-config`);
  const configOf = (pod: string) => parseProperties(configMap.data[`${pod}.properties`]);

  it('runs one controller StatefulSet and one broker StatefulSet per zone', () => {
    expect(controllerSet.metadata.name).toBe(`${spec.kafka.clusterName}-controller`);
    expect(controllerSet.spec.replicas).toBe(spec.kafka.controllers.count);
    expect(brokerSets.map((set) => set.metadata.name)).toEqual(spec.aws.availabilityZones.map((zone) => `${spec.kafka.clusterName}-broker-${zone}`));
  });

  it('puts the same number of brokers in every zone', () => {
    expect(new Set(brokerSets.map((set) => set.spec.replicas)).size).toBe(1);
    expect(brokerSets.reduce((sum, set) => sum + set.spec.replicas, 0)).toBe(model.brokers.length);
  });

  it("pins each broker StatefulSet to one zone, which is the broker.rack of each of its pods", () => {
    for (const set of brokerSets) {
      const zones = pinnedZones(set);
      expect(zones).toHaveLength(1);
      for (const pod of podsOf(set)) expect(configOf(pod).get('broker.rack')).toBe(zones[0]);
    }
  });

  it('gives the pods the node ids and hosts of the model, so the quorum and advertised listeners resolve', () => {
    for (const node of model.nodes) {
      const set = named(objects, 'StatefulSet', node.group);
      expect(podsOf(set)).toContain(node.name);
      expect(configOf(node.name).get('node.id')).toBe(String(node.nodeId));
      // <pod>.<governing service>.<namespace>.svc.<domain>: the headless Service is named exactly like the StatefulSet.
      expect(set.spec.serviceName).toBe(node.group);
      expect(node.host).toBe(`${node.name}.${node.group}.${namespace}.svc.cluster.local`);
      const service = named(objects, 'Service', node.group);
      expect(service.spec.clusterIP).toBe('None');
      expect(service.spec.publishNotReadyAddresses).toBe(true);
      expect(selects(service.spec.selector, set.spec.template.metadata.labels)).toBe(true);
    }
  });

  it('has one broker PDB that selects every broker pod of every zone and no controller', () => {
    const budgets = objectsOfKind(objects, 'PodDisruptionBudget');
    const brokerBudgets = budgets.filter((budget) => brokerSets.some((set) => selects(budget.spec.selector.matchLabels, set.spec.template.metadata.labels)));
    expect(brokerBudgets).toHaveLength(1);
    const [budget] = brokerBudgets;
    expect(budget.spec.maxUnavailable).toBe(1);
    for (const set of brokerSets) expect(selects(budget.spec.selector.matchLabels, set.spec.template.metadata.labels)).toBe(true);
    expect(selects(budget.spec.selector.matchLabels, controllerSet.spec.template.metadata.labels)).toBe(false);
    const controllerBudget = budgets.find((candidate) => selects(candidate.spec.selector.matchLabels, controllerSet.spec.template.metadata.labels));
    expect(controllerBudget?.spec.maxUnavailable).toBe(1);
  });

  it('spreads controllers over every zone of the environment with a hard zone spread', () => {
    expect(pinnedZones(controllerSet).sort()).toEqual([...spec.aws.availabilityZones].sort());
    const spread = podSpecOf(controllerSet).topologySpreadConstraints ?? [];
    if (spec.aws.availabilityZones.length > 1) {
      expect(spread).toEqual([
        expect.objectContaining({ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', minDomains: spec.aws.availabilityZones.length }),
      ]);
      expect(selects(spread[0].labelSelector.matchLabels, controllerSet.spec.template.metadata.labels)).toBe(true);
    }
  });

  it('keeps volumes (claim templates, retention policy, StorageClass) and starts pods in parallel', () => {
    for (const set of sets) {
      expect(set.spec.podManagementPolicy).toBe('Parallel');
      expect(set.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      const [claim] = set.spec.volumeClaimTemplates;
      const storage = roleOf(set) === 'broker' ? spec.kafka.brokers.storage : spec.kafka.controllers.storage;
      expect(claim.spec.resources.requests.storage).toBe(`${storage.sizeGiB}Gi`);
      const storageClass = named(objects, 'StorageClass', claim.spec.storageClassName);
      expect(storageClass).toMatchObject({
        provisioner: 'ebs.csi.aws.com',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: spec.tier === 'production' ? 'Retain' : 'Delete',
        parameters: expect.objectContaining({ type: storage.volumeType, encrypted: 'true' }),
      });
      expect(storageClass.metadata.namespace).toBeUndefined();
      const mountPath = roleOf(set) === 'broker' ? KAFKA_PATHS.dataDir : KAFKA_PATHS.metadataDir;
      expect(podSpecOf(set).containers[0].volumeMounts).toContainEqual({ name: claim.metadata.name, mountPath });
      expect(configOf(podsOf(set)[0]).get('log.dirs')).toBe(mountPath);
    }
  });

  it('meets the restricted Pod Security Standard in every container, with a read-only root filesystem', () => {
    for (const set of sets) {
      const pod = podSpecOf(set);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.hostNetwork ?? false).toBe(false);
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(container.securityContext.runAsUser).toBeGreaterThan(0);
      }
      const writable = pod.containers[0].volumeMounts.filter((mount: K8sObject) => !mount.readOnly).map((mount: K8sObject) => mount.mountPath);
      expect(writable.sort()).toEqual(['/tmp', '/var/log/kafka', roleOf(set) === 'broker' ? KAFKA_PATHS.dataDir : KAFKA_PATHS.metadataDir].sort());
      const account = named(objects, 'ServiceAccount', pod.serviceAccountName);
      expect(account.automountServiceAccountToken).toBe(false);
    }
    expect(named(objects, 'Namespace', namespace).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('opens no remote JMX port and names every container port', () => {
    for (const set of sets) {
      const [kafka] = podSpecOf(set).containers;
      const env = kafka.env.map((variable: K8sObject) => variable.name);
      expect(env).not.toContain('JMX_PORT');
      expect(JSON.stringify(kafka)).not.toContain('jmxremote.port');
      const expected = roleOf(set) === 'broker' ? ['client', 'replication', 'metrics'] : ['controller', 'metrics'];
      expect(kafka.ports.map((port: K8sObject) => port.name)).toEqual(expected);
    }
  });

  it('requests resources from the spec with memory request = limit and the model heap', () => {
    for (const set of sets) {
      const role = roleOf(set) as 'broker' | 'controller';
      const [kafka] = podSpecOf(set).containers;
      expect(kafka.resources.requests.memory).toBe(kafka.resources.limits.memory);
      expect(kafka.resources.requests.memory).toMatch(/^\d+(Gi|Mi)$/);
      expect(kafka.resources.requests.cpu).toBe(`${Math.round(model.sizing[role].cpu * 1000)}m`);
      const heap = kafka.env.find((variable: K8sObject) => variable.name === 'KAFKA_HEAP_OPTS').value;
      expect(heap).toBe(`-Xms${model.sizing[role].heapMiB}m -Xmx${model.sizing[role].heapMiB}m`);
    }
  });

  it('gives a controlled shutdown time, and probes the role listener', () => {
    for (const set of sets) {
      const pod = podSpecOf(set);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(roleOf(set) === 'broker' ? 300 : 120);
      const port = roleOf(set) === 'broker' ? 'client' : 'controller';
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(pod.containers[0][probe].tcpSocket.port).toBe(port);
    }
  });

  it('runs the official image of the spec version', () => {
    for (const set of sets) expect(podSpecOf(set).containers[0].image).toBe(`apache/kafka:${spec.kafka.version}`);
  });
});

describe('secrets in the pods of prod (TLS and SCRAM)', () => {
  const { model, objects } = synthesizeKafka(prod);
  const sets = objectsOfKind(objects, 'StatefulSet');

  it('mounts the role certificate Secret read-only where server.properties reads the PEM files', () => {
    for (const set of sets) {
      const role = roleOf(set);
      const pod = podSpecOf(set);
      const volume = pod.volumes.find((candidate: K8sObject) => candidate.secret);
      expect(volume.secret.secretName).toBe(tlsSecretName(model.spec, role));
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: volume.name, mountPath: KAFKA_PATHS.tlsDir, readOnly: true });
    }
  });

  it('creates the admin at storage format on controllers only, from a Secret reference, never in the Kafka container', () => {
    for (const set of sets) {
      const pod = podSpecOf(set);
      const [kafka] = pod.containers;
      const format = pod.initContainers.find((container: K8sObject) => container.name === 'kafka-format');
      expect(format.command).toEqual(['sh', '-c', KAFKA_FORMAT_SCRIPT]);
      expect(kafka.command).toEqual(['sh', '-c', KAFKA_START_SCRIPT]);
      const names = (container: K8sObject) => (container.env ?? []).map((variable: K8sObject) => variable.name);
      expect(names(kafka)).not.toContain('KAFKA_ADMIN_PASSWORD');
      if (roleOf(set) === 'controller') {
        expect(format.env).toContainEqual({
          name: 'KAFKA_ADMIN_PASSWORD',
          valueFrom: { secretKeyRef: { name: userCredentialsSecretName(model.spec, ADMIN_USER), key: 'password' } },
        });
        expect(format.env).toContainEqual({ name: 'KAFKA_ADMIN_USER', value: ADMIN_USER });
      } else {
        expect(names(format)).not.toContain('KAFKA_ADMIN_PASSWORD');
      }
    }
  });

  it('leaves every update to the roller (OnDelete): zones must not roll independently, nor pods on readiness alone', () => {
    for (const set of sets) expect(set.spec.updateStrategy.type).toBe('OnDelete');
  });
});

describe('dev without TLS or SCRAM', () => {
  const { objects } = synthesizeKafka(dev);
  it('mounts no certificate Secret and needs no admin password', () => {
    for (const set of objectsOfKind(objects, 'StatefulSet')) {
      expect(podSpecOf(set).volumes.some((volume: K8sObject) => volume.secret)).toBe(false);
      const names = podSpecOf(set).containers.flatMap((container: K8sObject) => (container.env ?? []).map((variable: K8sObject) => variable.name));
      expect(names).not.toContain('KAFKA_ADMIN_PASSWORD');
      expect(names).not.toContain('KAFKA_ADMIN_USER');
      // Even a single zone's StatefulSet would move on when a broker is Ready, before it is in sync.
      expect(set.spec.updateStrategy.type).toBe('OnDelete');
    }
  });
});

describe('runtime options', () => {
  it('applies dedicated-node placement, pull settings, priority and an existing StorageClass', () => {
    const spec = aThreeZoneProdSpec();
    spec.runtime = {
      kind: 'kubernetes',
      namespace: 'kafka',
      storageClass: { create: false, name: 'gp3-encrypted' },
      priorityClass: { create: false, name: 'business-critical' },
      nodeSelector: { 'node.kubernetes.io/pool': 'kafka' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'kafka', effect: 'NoSchedule' }],
      imagePullSecrets: ['mirror'],
      imagePullPolicy: 'Always',
    };
    const digest = `registry.example.com/mirror/kafka:4.1.1@sha256:${'0f'.repeat(32)}`;
    spec.kafka.image = digest;
    const { objects } = synthesizeKafka(spec);
    expect(objectsOfKind(objects, 'StorageClass')).toEqual([]);
    expect(objectsOfKind(objects, 'PriorityClass')).toEqual([]);
    for (const set of objectsOfKind(objects, 'StatefulSet')) {
      const pod = podSpecOf(set);
      expect(pod.nodeSelector).toEqual({ 'node.kubernetes.io/pool': 'kafka' });
      expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'kafka', effect: 'NoSchedule' }]);
      expect(pod.imagePullSecrets).toEqual([{ name: 'mirror' }]);
      expect(pod.priorityClassName).toBe('business-critical');
      expect(pod.containers[0].imagePullPolicy).toBe('Always');
      expect(pod.containers[0].image).toBe(digest);
      expect(set.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3-encrypted');
    }
  });

  it('gives controllers and brokers their own EBS parameters', () => {
    const { objects } = synthesizeKafka(prod);
    const byName = Object.fromEntries(objectsOfKind(objects, 'StorageClass').map((object) => [object.metadata.name, object.parameters]));
    expect(byName['kafka-kafka-broker']).toMatchObject({ type: 'gp3', iops: '6000', throughput: '500' });
    // Production with its own node groups: the environment's key, which prod-nodes creates.
    expect(byName['kafka-kafka-controller']).toEqual({ type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'xfs', kmsKeyId: 'alias/prod-kafka/persistent-volumes' });
  });
});
