import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ClusterModel, buildClusterModel } from '../../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../../constructs/kafka/spec/environment-spec';
import { parseProperties } from '../../../constructs/kafka/config/properties-file';
import { heapOptions, renderServerProperties } from '../../../constructs/kafka/config/server-properties';
import { validateEnvironment } from '../../../constructs/kafka/validation/validate';
import { environments } from '../../../environments';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, aVmStagingSpec } from '../../fixtures/environments';

const modelOf = (spec: EnvironmentSpec) => buildClusterModel(validateEnvironment(spec));
const propertiesOf = (model: ClusterModel, name: string) => {
  const node = model.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`no node ${name}`);
  return parseProperties(renderServerProperties(model, node));
};

describe('a production broker', () => {
  const model = modelOf(aThreeZoneProdSpec());
  const props = propertiesOf(model, 'kafka-broker-eu-west-1b-1');

  it('is a KRaft broker with its own id and rack', () => {
    expect(props.get('process.roles')).toBe('broker');
    expect(props.get('node.id')).toBe('201');
    expect(props.get('broker.rack')).toBe('eu-west-1b');
  });

  it('finds the quorum through every controller and the controller listener', () => {
    expect(props.get('controller.quorum.voters')).toBe(
      [0, 1, 2].map((id) => `${id}@kafka-controller-${id}.kafka-controller.kafka.svc.cluster.local:9093`).join(','),
    );
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
  });

  it('binds client and replication listeners, advertises its pod DNS name, and never exposes the controller listener', () => {
    const host = 'kafka-broker-eu-west-1b-1.kafka-broker-eu-west-1b.kafka.svc.cluster.local';
    expect(props.get('listeners')).toBe('CLIENT://0.0.0.0:9092,REPLICATION://0.0.0.0:9091');
    expect(props.get('advertised.listeners')).toBe(`CLIENT://${host}:9092,REPLICATION://${host}:9091`);
    expect(props.get('inter.broker.listener.name')).toBe('REPLICATION');
  });

  it('encrypts every listener and authenticates every peer', () => {
    expect(props.get('listener.security.protocol.map')).toBe('CLIENT:SASL_SSL,REPLICATION:SSL,CONTROLLER:SSL');
    expect(props.get('listener.name.client.sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(props.get('listener.name.replication.ssl.client.auth')).toBe('required');
    expect(props.get('ssl.endpoint.identification.algorithm')).toBe('https');
    expect(props.get('ssl.keystore.type')).toBe('PEM');
  });

  it('refers to key material only through a config provider, never inline', () => {
    expect(props.get('ssl.keystore.key')).toBe('${tls:/etc/kafka/tls:tls.key}');
    expect(props.get('ssl.keystore.certificate.chain')).toBe('${tls:/etc/kafka/tls:tls.crt}');
    expect(props.get('ssl.truststore.certificates')).toBe('${tls:/etc/kafka/tls:ca.crt}');
    expect(props.get('config.providers.tls.class')).toBe('org.apache.kafka.common.config.provider.DirectoryConfigProvider');
    const text = renderServerProperties(model, model.brokers[0]);
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|password\s*=/i);
  });

  it('authorises with the KRaft StandardAuthorizer and denies by default', () => {
    expect(props.get('authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(props.get('allow.everyone.if.no.acl.found')).toBe('false');
    expect(props.get('super.users')).toBe('User:kafka-broker;User:kafka-controller;User:admin');
  });

  it('keeps data durable', () => {
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('offsets.topic.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    expect(props.get('unclean.leader.election.enable')).toBe('false');
    expect(props.get('auto.create.topics.enable')).toBe('false');
  });

  it('lets consumers fetch from a replica in their own zone', () => {
    expect(props.get('replica.selector.class')).toBe('org.apache.kafka.common.replica.RackAwareReplicaSelector');
  });

  it('stores data on the data volume, not /tmp', () => {
    expect(props.get('log.dirs')).toBe('/var/lib/kafka/data');
  });

  it('sizes threads from its 4 vCPUs', () => {
    expect(props.get('num.network.threads')).toBe('3');
    expect(props.get('num.io.threads')).toBe('8');
    expect(props.get('num.replica.fetchers')).toBe('1');
    expect(props.get('num.recovery.threads.per.data.dir')).toBe('4');
  });

  it('gets a 6 GiB heap from 32 GiB of memory, leaving the rest to the page cache', () => {
    expect(heapOptions(model, model.brokers[0])).toBe('-Xms6144m -Xmx6144m');
  });
});

describe('a production controller', () => {
  const model = modelOf(aThreeZoneProdSpec());
  const props = propertiesOf(model, 'kafka-controller-1');

  it('is controller-only and binds only the controller listener, with mutual TLS', () => {
    expect(props.get('process.roles')).toBe('controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('listeners')).toBe('CONTROLLER://0.0.0.0:9093');
    expect(props.get('listener.security.protocol.map')).toBe('CONTROLLER:SSL');
    expect(props.get('listener.name.controller.ssl.client.auth')).toBe('required');
  });

  it('carries the replication defaults it applies when it creates topics and elects leaders, but no broker-only keys', () => {
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('unclean.leader.election.enable')).toBe('false');
    for (const brokerOnly of ['broker.rack', 'inter.broker.listener.name', 'replica.selector.class', 'offsets.topic.replication.factor']) {
      expect(props.has(brokerOnly)).toBe(false);
    }
  });

  it('keeps its metadata log on the metadata volume', () => {
    expect(props.get('log.dirs')).toBe('/var/lib/kafka/metadata');
  });

  it('gets half of its 4 GiB as heap', () => {
    expect(heapOptions(model, model.controllers[0])).toBe('-Xms2048m -Xmx2048m');
  });
});

describe('a dev cluster', () => {
  const model = modelOf(aSingleZoneDevSpec());
  const props = propertiesOf(model, 'kafka-broker-eu-west-1a-0');

  it('uses plaintext, no TLS settings and no authoriser', () => {
    expect(props.get('listener.security.protocol.map')).toBe('CLIENT:PLAINTEXT,REPLICATION:PLAINTEXT,CONTROLLER:PLAINTEXT');
    expect([...props.keys()].filter((key) => key.startsWith('ssl.') || key === 'authorizer.class.name')).toEqual([]);
  });

  it('replicates once and may create topics on first write', () => {
    expect(props.get('default.replication.factor')).toBe('1');
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('auto.create.topics.enable')).toBe('true');
  });
});

describe('VM nodes', () => {
  it('advertise their private DNS name and derive sizing from the instance type', () => {
    const model = modelOf(aVmStagingSpec());
    const props = propertiesOf(model, 'kafka-broker-eu-central-1a-0');
    expect(props.get('advertised.listeners')).toBe(
      'CLIENT://kafka-broker-eu-central-1a-0.kafka.staging.internal:9092,REPLICATION://kafka-broker-eu-central-1a-0.kafka.staging.internal:9091',
    );
    // r6i.large: 2 vCPUs, 16 GiB.
    expect(heapOptions(model, model.brokers[0])).toBe('-Xms4096m -Xmx4096m');
  });
});

describe('every rendered key', () => {
  const documented = new Set(
    readFileSync(join(__dirname, '../../fixtures/kafka-4-broker-config-keys.txt'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#')),
  );
  // Keys read by plugins rather than KafkaConfig: the StandardAuthorizer and AbstractConfig's config providers.
  const pluginKey = (key: string) =>
    ['super.users', 'allow.everyone.if.no.acl.found', 'config.providers'].includes(key) ||
    /^config\.providers\.[a-z]+\.(class|param\.[a-z.]+)$/.test(key);
  const accepted = (key: string): boolean => {
    const scoped = /^listener\.name\.[a-z_]+\.(.+)$/.exec(key);
    if (scoped) return documented.has(scoped[1]) || /^[a-z0-9-]+\.sasl\.jaas\.config$/.test(scoped[1]);
    return documented.has(key) || pluginKey(key);
  };
  // ZooKeeper-era or removed in Kafka 4.0.
  const removedInKafka4 = ['zookeeper.connect', 'broker.id', 'log.message.format.version', 'inter.broker.protocol.version', 'control.plane.listener.name'];

  const specs = environments.map((spec) => validateEnvironment(spec));
  it.each(specs.map((spec) => [spec.name, spec] as const))('of %s is accepted by Kafka 4.x', (_name, spec) => {
    const model = buildClusterModel(spec);
    for (const node of model.nodes) {
      const keys = [...parseProperties(renderServerProperties(model, node)).keys()];
      expect(keys.filter((key) => !accepted(key))).toEqual([]);
      expect(keys.filter((key) => removedInKafka4.includes(key))).toEqual([]);
    }
  });
});
