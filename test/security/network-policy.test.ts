import { type Pod, connectionAllowed, type NetworkPolicyObject } from '../../constructs/kafka/security/network-policy-evaluator';
import { aProdSpecWithUsers } from './fixtures';
import { type KubeObject, objectsOfKind, synthesizedObjects } from './support/manifests';

/**
 * The rendered NetworkPolicies, evaluated with Kubernetes' semantics, allow exactly the flows the spec describes:
 * every (source pod, destination port) pair is checked, with the real pod labels and container ports taken from the
 * synthesized StatefulSets and CronJobs.
 */
const spec = aProdSpecWithUsers();
const security = synthesizedObjects(spec);
const kafka = synthesizedObjects(spec, 'kafka.yaml');
const policies = objectsOfKind(security, 'NetworkPolicy') as unknown as NetworkPolicyObject[];

const ns = (name: string, labels: Record<string, string> = {}) => ({ 'kubernetes.io/metadata.name': name, ...labels });
const inKafka = (labels: Record<string, string>): Pod => ({ namespace: 'kafka', namespaceLabels: ns('kafka'), labels });

function statefulSet(component: 'broker' | 'controller'): KubeObject {
  const found = objectsOfKind(kafka, 'StatefulSet').find((object) => object.spec.template.metadata.labels['app.kubernetes.io/component'] === component);
  if (!found) throw new Error(`no ${component} StatefulSet in kafka.yaml`);
  return found;
}
function podOf(object: KubeObject): Pod {
  const template = object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template;
  return inKafka(template.metadata.labels);
}
function namedPorts(object: KubeObject): Record<string, number> {
  const ports: { name?: string; containerPort: number }[] = object.spec.template.spec.containers.flatMap((container: any) => container.ports ?? []);
  return Object.fromEntries(ports.filter((port) => port.name).map((port) => [port.name, port.containerPort]));
}
const cronJob = (name: string) => objectsOfKind(security, 'CronJob').find((object) => object.metadata.name === name) as KubeObject;

const broker = statefulSet('broker');
const controller = statefulSet('controller');
const sources: Record<string, Pod> = {
  broker: podOf(broker),
  controller: podOf(controller),
  reconciler: podOf(cronJob('kafka-reconcile')),
  roller: podOf(cronJob('kafka-roller')),
  'stranger in the kafka namespace': inKafka({ app: 'debug' }),
  'pod of client namespace orders': { namespace: 'orders', namespaceLabels: ns('orders'), labels: { app: 'anything' } },
  'billing app in a team=billing namespace': { namespace: 'fin', namespaceLabels: ns('fin', { team: 'billing' }), labels: { app: 'billing' } },
  'other app in a team=billing namespace': { namespace: 'fin', namespaceLabels: ns('fin', { team: 'billing' }), labels: { app: 'cron' } },
  prometheus: { namespace: 'monitoring', namespaceLabels: ns('monitoring'), labels: { 'app.kubernetes.io/name': 'prometheus' } },
  'grafana in monitoring': { namespace: 'monitoring', namespaceLabels: ns('monitoring'), labels: { 'app.kubernetes.io/name': 'grafana' } },
  'pod in default': { namespace: 'default', namespaceLabels: ns('default'), labels: { app: 'orders' } },
};

const brokerPorts = namedPorts(broker);
const controllerPorts = namedPorts(controller);
const targets: Record<string, { pod: Pod; port: number }> = {
  'broker:client': { pod: sources.broker, port: brokerPorts.client },
  'broker:replication': { pod: sources.broker, port: brokerPorts.replication },
  'broker:metrics': { pod: sources.broker, port: brokerPorts.metrics },
  'broker:unlisted 9999': { pod: sources.broker, port: 9999 },
  'controller:controller': { pod: sources.controller, port: controllerPorts.controller },
  'controller:metrics': { pod: sources.controller, port: controllerPorts.metrics },
};

/** What the spec says, written out by hand: every other pair must be denied. */
const allowed = new Set([
  'broker -> broker:replication',
  'broker -> controller:controller',
  'controller -> controller:controller',
  'reconciler -> broker:client',
  'roller -> broker:client',
  'pod of client namespace orders -> broker:client',
  'billing app in a team=billing namespace -> broker:client',
  'prometheus -> broker:metrics',
  'prometheus -> controller:metrics',
]);

test('the pods expose the named ports the policies are about', () => {
  expect(brokerPorts).toMatchObject({ client: 9092, replication: 9091, metrics: 9404 });
  expect(controllerPorts).toMatchObject({ controller: 9093, metrics: 9404 });
});

const pairs = Object.keys(sources).flatMap((source) => Object.keys(targets).map((target) => [source, target] as const));
test.each(pairs)('%s -> %s', (source, target) => {
  const { pod, port } = targets[target];
  const verdict = connectionAllowed(policies, { from: sources[source], to: pod, port });
  expect(verdict).toBe(allowed.has(`${source} -> ${target}`));
});

test('Kafka pods and the jobs resolve names through cluster DNS and reach nothing else outside', () => {
  const dns: Pod = { namespace: 'kube-system', namespaceLabels: ns('kube-system'), labels: { 'k8s-app': 'kube-dns' } };
  for (const source of ['broker', 'controller', 'reconciler', 'roller']) {
    expect(connectionAllowed(policies, { from: sources[source], to: dns, port: 53, protocol: 'UDP' })).toBe(true);
    expect(connectionAllowed(policies, { from: sources[source], to: dns, port: 53, protocol: 'TCP' })).toBe(true);
    expect(connectionAllowed(policies, { from: sources[source], to: sources['pod in default'], port: 443 })).toBe(false);
  }
});

test('the evaluator itself: no policy means allowed, a selecting policy without rules means denied', () => {
  const pod = inKafka({ a: 'b' });
  expect(connectionAllowed([], { from: pod, to: pod, port: 1 })).toBe(true);
  const deny: NetworkPolicyObject = { metadata: { name: 'd', namespace: 'kafka' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
  expect(connectionAllowed([deny], { from: pod, to: pod, port: 1 })).toBe(false);
  const allowAll: NetworkPolicyObject = { metadata: { name: 'a', namespace: 'kafka' }, spec: { podSelector: {}, ingress: [{}] } };
  expect(connectionAllowed([deny, allowAll], { from: pod, to: pod, port: 1 })).toBe(true);
});

test('HTTPS to the internet (never into the VPC) only for the JMX agent download, and none with a mirror image', () => {
  const internet = (objects: NetworkPolicyObject[]) =>
    objects.flatMap((policy) =>
      (policy.spec.egress ?? []).flatMap((rule) => (rule.to ?? []).filter((peer: any) => peer.ipBlock).map((peer: any) => ({ policy: policy.metadata.name, ipBlock: peer.ipBlock, ports: rule.ports }))),
    );
  // Production requires the mirror image: no Kafka pod may reach the internet.
  expect(internet(policies).map((rule) => rule.policy)).toEqual(['kafka-roller']);
  const downloading = { ...spec, tier: 'staging' as const, monitoring: { ...spec.monitoring, jmxExporter: {} } };
  const withDownload = objectsOfKind(synthesizedObjects(downloading), 'NetworkPolicy') as unknown as NetworkPolicyObject[];
  expect(internet(withDownload)).toEqual([
    { policy: 'kafka-broker', ipBlock: { cidr: '0.0.0.0/0', except: ['10.30.0.0/16'] }, ports: [{ port: 443, protocol: 'TCP' }] },
    { policy: 'kafka-controller', ipBlock: { cidr: '0.0.0.0/0', except: ['10.30.0.0/16'] }, ports: [{ port: 443, protocol: 'TCP' }] },
    { policy: 'kafka-roller', ipBlock: { cidr: '0.0.0.0/0' }, ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] },
  ]);
});

test('with an external listener, brokers admit its port from the client ranges and the VPC (load balancers)', () => {
  const external = {
    ...spec,
    kafka: { ...spec.kafka, listeners: { external: { domain: 'kafka.example.com' } } },
    runtime: { kind: 'kubernetes' as const, namespace: 'kafka', externalAccess: { sourceRanges: ['203.0.113.0/24'] } },
    security: { ...spec.security, certificates: { extraDnsNames: ['*.kafka.example.com'] } },
  };
  const broker = (objectsOfKind(synthesizedObjects(external), 'NetworkPolicy') as unknown as NetworkPolicyObject[]).find((policy) => policy.metadata.name === 'kafka-broker');
  const rule = broker?.spec.ingress?.find((candidate) => candidate.ports?.some((port) => port.port === 9094));
  expect(rule?.from).toEqual([{ ipBlock: { cidr: '10.30.0.0/16' } }, { ipBlock: { cidr: '203.0.113.0/24' } }]);
  // Without an external listener no such port is open.
  expect(policies.find((policy) => policy.metadata.name === 'kafka-broker')?.spec.ingress?.some((candidate) => candidate.ports?.some((port) => port.port === 9094))).toBe(false);
});
