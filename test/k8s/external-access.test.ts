import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { parseProperties } from '../../constructs/kafka/config/properties-file';
import { aThreeZoneProdSpec, aVmStagingSpec } from '../fixtures/environments';
import { schemaErrors } from './kubernetes-schema';
import { type K8sObject, objectsOfKind, selects, synthesizeKafka } from './manifests';

const DOMAIN = 'kafka.example.com';
const pods = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].flatMap((zone) => [0, 1].map((ordinal) => `kafka-broker-${zone}-${ordinal}`));

function anExternallyReachableProdSpec() {
  const spec = aThreeZoneProdSpec();
  spec.kafka.listeners = { external: { domain: DOMAIN } };
  spec.security = { ...spec.security, certificates: { extraDnsNames: [`bootstrap.${DOMAIN}`, ...pods.map((pod) => `${pod}.${DOMAIN}`)] } } as typeof spec.security;
  spec.runtime = { kind: 'kubernetes', namespace: 'kafka', externalAccess: { sourceRanges: ['10.0.0.0/8'], annotations: { 'example.com/team': 'platform' } } };
  return spec;
}

describe('external access through one load balancer per broker', () => {
  const { objects, files } = synthesizeKafka(anExternallyReachableProdSpec());
  const external = objectsOfKind(objects, 'Service').filter((service) => service.spec.type === 'LoadBalancer');
  const brokerSets = objectsOfKind(objects, 'StatefulSet').filter((set) => set.metadata.name.includes('-broker-'));
  // The labels each broker pod will carry: its template's plus the pod-name label the StatefulSet controller adds.
  const brokerPods = brokerSets.flatMap((set) =>
    Array.from({ length: set.spec.replicas }, (_, ordinal) => {
      const name = `${set.metadata.name}-${ordinal}`;
      return { name, labels: { ...set.spec.template.metadata.labels, 'statefulset.kubernetes.io/pod-name': name } };
    }),
  );

  it('advertises <pod>.<domain> on the EXTERNAL listener and keeps the internal ones', () => {
    for (const pod of pods) {
      const config = parseProperties(files.get(`kafka/${pod}.properties`)!);
      expect(config.get('advertised.listeners')).toContain(`,EXTERNAL://${pod}.${DOMAIN}:9094`);
      expect(config.get('advertised.listeners')).toContain(`CLIENT://${pod}.kafka-broker-`);
      expect(config.get('listener.security.protocol.map')).toContain('EXTERNAL:SASL_SSL');
    }
  });

  it('creates a bootstrap load balancer for all brokers and one per broker selecting exactly that pod', () => {
    expect(external).toHaveLength(pods.length + 1);
    for (const service of external) {
      const selected = brokerPods.filter((pod) => selects(service.spec.selector, pod.labels)).map((pod) => pod.name);
      const host: string = service.metadata.annotations['external-dns.alpha.kubernetes.io/hostname'];
      if (host === `bootstrap.${DOMAIN}`) expect(selected).toEqual(brokerPods.map((pod) => pod.name));
      else expect(selected).toEqual([host.replace(`.${DOMAIN}`, '')]);
      expect(service.spec.ports).toEqual([{ name: 'external', port: 9094, targetPort: 'external', protocol: 'TCP' }]);
      expect(service.spec.loadBalancerSourceRanges).toEqual(['10.0.0.0/8']);
      expect(service.metadata.annotations).toMatchObject({
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
        'example.com/team': 'platform',
      });
      expect(schemaErrors(service)).toEqual([]);
    }
  });

  it('opens the named external port on brokers only', () => {
    for (const set of objectsOfKind(objects, 'StatefulSet')) {
      const names = set.spec.template.spec.containers[0].ports.map((port: K8sObject) => port.name);
      expect(names.includes('external')).toBe(set.metadata.name.includes('-broker-'));
    }
  });

  it('is absent unless asked for', () => {
    const { objects: plain } = synthesizeKafka(aThreeZoneProdSpec());
    expect(objectsOfKind(plain, 'Service').filter((service) => service.spec.type === 'LoadBalancer')).toEqual([]);
  });
});

describe('external access rules', () => {
  it('wants every external name on the broker certificate', () => {
    const spec = anExternallyReachableProdSpec();
    spec.security = { ...spec.security, certificates: { extraDnsNames: [`bootstrap.${DOMAIN}`] } } as typeof spec.security;
    const [problem] = checkEnvironment(spec).problems.map(formatProblem);
    expect(problem).toMatch(/^prod: security.certificates.extraDnsNames = \["bootstrap.kafka.example.com"\], must cover every external name/);
    expect(problem).toContain(`missing: ${pods.map((pod) => `${pod}.${DOMAIN}`).join(', ')}`);
  });

  it('wants source ranges on internet-facing production load balancers', () => {
    const spec = anExternallyReachableProdSpec();
    spec.runtime = { kind: 'kubernetes', externalAccess: { internetFacing: true } };
    expect(checkEnvironment(spec).problems.map(formatProblem)).toEqual([
      'prod: runtime.externalAccess.sourceRanges = [], must list the client CIDRs when production load balancers are internet-facing',
    ]);
  });

  it('allows SCRAM on the external listener but refuses plaintext outside dev', () => {
    const spec = anExternallyReachableProdSpec();
    spec.kafka.listeners = { external: { domain: DOMAIN, tls: false } };
    expect(checkEnvironment(spec).problems.map(formatProblem)).toEqual([
      'prod: kafka.listeners.external.tls = false, would make a SASL_PLAINTEXT listener; plaintext is allowed only in dev',
    ]);
  });

  it('is Kubernetes only', () => {
    const spec = aVmStagingSpec();
    spec.kafka.listeners = { external: { domain: DOMAIN } };
    expect(checkEnvironment(spec).problems.map(formatProblem)).toContainEqual(
      expect.stringMatching(/^staging: kafka.listeners.external = .*, is supported on Kubernetes only/),
    );
  });
});
