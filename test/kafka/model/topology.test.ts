import { buildClusterModel } from '../../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../../constructs/kafka/spec/environment-spec';
import { clusterNodes } from '../../../constructs/kafka/model/topology';
import { validateEnvironment } from '../../../constructs/kafka/validation/validate';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../../fixtures/environments';

const nodesOf = (spec: EnvironmentSpec) => clusterNodes(validateEnvironment(spec));

describe('cluster topology', () => {
  const nodes = nodesOf(aThreeZoneProdSpec());
  const brokers = nodes.filter((node) => node.role === 'broker');
  const controllers = nodes.filter((node) => node.role === 'controller');

  it('has the spec\'s controllers and brokers per zone', () => {
    expect(controllers).toHaveLength(3);
    expect(brokers).toHaveLength(6);
    for (const zone of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
      expect(brokers.filter((node) => node.zone === zone)).toHaveLength(2);
    }
  });

  it('names nodes after their StatefulSet and ordinal, as Kubernetes names pods', () => {
    expect(brokers.map((node) => node.name)).toEqual([
      'kafka-broker-eu-west-1a-0',
      'kafka-broker-eu-west-1a-1',
      'kafka-broker-eu-west-1b-0',
      'kafka-broker-eu-west-1b-1',
      'kafka-broker-eu-west-1c-0',
      'kafka-broker-eu-west-1c-1',
    ]);
    for (const node of nodes) expect(node.name).toBe(`${node.group}-${node.ordinal}`);
  });

  it('gives controllers ids from 0 and brokers ids that encode their zone', () => {
    expect(controllers.map((node) => node.nodeId)).toEqual([0, 1, 2]);
    expect(brokers.map((node) => node.nodeId)).toEqual([100, 101, 200, 201, 300, 301]);
    expect(new Set(nodes.map((node) => node.nodeId)).size).toBe(nodes.length);
  });

  it('spreads controllers one per zone', () => {
    expect(controllers.map((node) => node.zone)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('gives Kubernetes nodes their pod DNS name under the StatefulSet\'s headless Service', () => {
    expect(brokers[0].host).toBe('kafka-broker-eu-west-1a-0.kafka-broker-eu-west-1a.kafka.svc.cluster.local');
    expect(controllers[2].host).toBe('kafka-controller-2.kafka-controller.kafka.svc.cluster.local');
  });

  it('gives VM nodes a name in the private DNS zone', () => {
    const vmNodes = nodesOf(aVmStagingSpec());
    expect(vmNodes[0].host).toBe('kafka-controller-0.kafka.staging.internal');
    const custom = nodesOf(withChange(aVmStagingSpec(), (d) => (d.runtime.dnsZone = 'kafka.example.internal')));
    expect(custom.at(-1)!.host).toBe('kafka-broker-eu-central-1c-0.kafka.example.internal');
  });

  it('renders the quorum voters and bootstrap servers from the same nodes', () => {
    const model = buildClusterModel(validateEnvironment(aThreeZoneProdSpec()));
    expect(model.quorumVoters.split(',')).toEqual(controllers.map((node) => `${node.nodeId}@${node.host}:9093`));
    expect(model.bootstrapServers.split(',')).toEqual(brokers.map((node) => `${node.host}:9092`));
  });
});

describe('scale-out', () => {
  const before = nodesOf(aThreeZoneProdSpec());
  const key = (node: { name: string; nodeId: number; zone: string; host: string }) => `${node.name}|${node.nodeId}|${node.zone}|${node.host}`;

  it('adding brokers to every zone keeps every existing node\'s name, id, zone and host', () => {
    const after = nodesOf(withChange(aThreeZoneProdSpec(), (d) => (d.kafka.brokers.perZone = 5)));
    expect(after).toHaveLength(before.length + 9);
    expect(after.map(key)).toEqual(expect.arrayContaining(before.map(key)));
  });

  it('adding a zone at the end keeps every existing node\'s id and zone', () => {
    const after = nodesOf(
      withChange(aThreeZoneProdSpec(), (d) => {
        d.aws.availabilityZones.push('eu-west-1d');
      }),
    );
    const brokerKeys = (nodes: typeof before) => nodes.filter((node) => node.role === 'broker').map(key);
    expect(brokerKeys(after)).toEqual(expect.arrayContaining(brokerKeys(before)));
    expect(after.filter((node) => node.zone === 'eu-west-1d' && node.role === 'broker').map((node) => node.nodeId)).toEqual([400, 401]);
  });
});
