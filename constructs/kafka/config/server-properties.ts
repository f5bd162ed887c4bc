import { type ClusterModel, rolePrincipalName } from '../model/cluster-model';
import { type KafkaListener, advertisedHost } from '../model/listeners';
import { KAFKA_PATHS } from '../model/paths';
import { type PropertySection, type PropertyValue, renderProperties } from './properties-file';
import type { KafkaNode } from '../model/topology';

type Entry = readonly [string, PropertyValue];

const RACK_AWARE_REPLICA_SELECTOR = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';
const STANDARD_AUTHORIZER = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
const SCRAM_LOGIN_MODULE = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
const DIRECTORY_CONFIG_PROVIDER = 'org.apache.kafka.common.config.provider.DirectoryConfigProvider';
/** Alias of the config provider that reads PEM files, so no key material is ever written into the properties. */
const TLS_PROVIDER = 'tls';

const tlsFile = (file: string) => `\${${TLS_PROVIDER}:${KAFKA_PATHS.tlsDir}:${file}}`;

/** Listeners this node binds. */
function boundListeners(model: ClusterModel, node: KafkaNode): KafkaListener[] {
  return model.listeners.filter((listener) => listener.boundBy === node.role);
}

/** Listeners this node binds or dials: brokers also dial the controller listener. */
function usedListeners(model: ClusterModel, node: KafkaNode): readonly KafkaListener[] {
  return node.role === 'broker' ? model.listeners : boundListeners(model, node);
}

function identity(model: ClusterModel, node: KafkaNode): Entry[] {
  return [
    ['process.roles', node.role],
    ['node.id', node.nodeId],
    ['controller.quorum.voters', model.quorumVoters],
    ['controller.listener.names', 'CONTROLLER'],
    ...(node.role === 'broker' ? ([['broker.rack', node.zone]] as Entry[]) : []),
  ];
}

function listenerEntries(model: ClusterModel, node: KafkaNode): Entry[] {
  const bound = boundListeners(model, node);
  const entries: Entry[] = [
    ['listeners', bound.map((listener) => `${listener.name}://0.0.0.0:${listener.port}`).join(',')],
    ['advertised.listeners', bound.map((listener) => `${listener.name}://${advertisedHost(model.spec, listener, node)}:${listener.port}`).join(',')],
    [
      'listener.security.protocol.map',
      usedListeners(model, node)
        .map((listener) => `${listener.name}:${listener.securityProtocol}`)
        .join(','),
    ],
  ];
  if (node.role === 'broker') entries.push(['inter.broker.listener.name', 'REPLICATION']);
  return entries;
}

function tlsEntries(model: ClusterModel, node: KafkaNode): Entry[] {
  if (!usedListeners(model, node).some((listener) => listener.tls)) return [];
  return [
    ['config.providers', TLS_PROVIDER],
    [`config.providers.${TLS_PROVIDER}.class`, DIRECTORY_CONFIG_PROVIDER],
    [`config.providers.${TLS_PROVIDER}.param.allowed.paths`, KAFKA_PATHS.tlsDir],
    // PEM key stores (KIP-651): an unencrypted PKCS#8 key needs no key store password.
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.certificate.chain', tlsFile('tls.crt')],
    ['ssl.keystore.key', tlsFile('tls.key')],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.certificates', tlsFile('ca.crt')],
    // Kafka's default, stated so reviewers see that peers verify each other's host names.
    ['ssl.endpoint.identification.algorithm', 'https'],
    // Certificates are issued with CN=<cluster>-<role>; the principal is the bare CN.
    ['ssl.principal.mapping.rules', 'RULE:^CN=([^,]+).*$/$1/,DEFAULT'],
  ];
}

function authenticationEntries(model: ClusterModel, node: KafkaNode): Entry[] {
  const entries: Entry[] = [];
  for (const listener of boundListeners(model, node)) {
    const prefix = `listener.name.${listener.name.toLowerCase()}`;
    if (listener.authentication === 'mtls') entries.push([`${prefix}.ssl.client.auth`, 'required']);
    if (listener.authentication === 'scram-sha-512') {
      entries.push([`${prefix}.sasl.enabled.mechanisms`, 'SCRAM-SHA-512']);
      // Server side of SCRAM needs no credentials here: users live in the cluster metadata.
      entries.push([`${prefix}.scram-sha-512.sasl.jaas.config`, SCRAM_LOGIN_MODULE]);
    }
  }
  if (model.authorization) {
    entries.push(
      ['authorizer.class.name', STANDARD_AUTHORIZER],
      ['allow.everyone.if.no.acl.found', false],
      ['super.users', model.superUsers.join(';')],
    );
  }
  return entries;
}

/**
 * Replication defaults go to controllers too: in KRaft the controller creates topics (default.replication.factor)
 * and elects leaders (unclean.leader.election.enable, min.insync.replicas for eligible leader replicas).
 */
function durabilityEntries(model: ClusterModel, node: KafkaNode): Entry[] {
  const { replicationFactor, minInsyncReplicas, autoCreateTopics } = model.spec.kafka;
  const entries: Entry[] = [
    ['default.replication.factor', replicationFactor],
    ['min.insync.replicas', minInsyncReplicas],
    ['unclean.leader.election.enable', false],
  ];
  if (node.role === 'broker') {
    entries.push(
      ['offsets.topic.replication.factor', replicationFactor],
      ['transaction.state.log.replication.factor', replicationFactor],
      ['transaction.state.log.min.isr', minInsyncReplicas],
      ['auto.create.topics.enable', autoCreateTopics],
      // KIP-392: consumers that set client.rack read from a replica in their own zone.
      ['replica.selector.class', RACK_AWARE_REPLICA_SELECTOR],
    );
  }
  return entries;
}

function storageAndThreads(model: ClusterModel, node: KafkaNode): Entry[] {
  const sizing = model.sizing[node.role];
  const entries: Entry[] = [
    ['log.dirs', node.role === 'broker' ? KAFKA_PATHS.dataDir : KAFKA_PATHS.metadataDir],
    ['num.network.threads', sizing.numNetworkThreads],
    ['num.io.threads', sizing.numIoThreads],
  ];
  if (node.role === 'broker') {
    entries.push(
      ['num.replica.fetchers', sizing.numReplicaFetchers],
      ['num.recovery.threads.per.data.dir', sizing.numRecoveryThreadsPerDataDir],
    );
  }
  return entries;
}

/** The ordered sections of a node's server.properties. */
export function serverPropertySections(model: ClusterModel, node: KafkaNode): PropertySection[] {
  return [
    { title: 'KRaft role and quorum', entries: identity(model, node) },
    { title: 'listeners', entries: listenerEntries(model, node) },
    { title: 'TLS (PEM files read through a config provider)', entries: tlsEntries(model, node) },
    { title: 'authentication and authorisation', entries: authenticationEntries(model, node) },
    { title: 'durability', entries: durabilityEntries(model, node) },
    { title: 'storage and threads', entries: storageAndThreads(model, node) },
  ];
}

/** The complete, resolved server.properties of one node: the same bytes on Kubernetes and on VMs. */
export function renderServerProperties(model: ClusterModel, node: KafkaNode): string {
  const { spec } = model;
  const header = [
    `Kafka ${spec.kafka.version} ${node.role} ${node.name} (node.id ${node.nodeId}) of cluster ${spec.kafka.clusterName}, environment ${spec.name}.`,
    'Generated from environments/' + spec.name + '.ts; do not edit. Secrets appear only as ${provider:...} references.',
    `Principal of this node's certificate: User:${rolePrincipalName(spec, node.role)}.`,
  ];
  return renderProperties(header, serverPropertySections(model, node));
}

/** JVM heap flags for a node's role: -Xms = -Xmx so the heap never resizes under load. */
export function heapOptions(model: ClusterModel, node: KafkaNode): string {
  const heapMiB = model.sizing[node.role].heapMiB;
  return `-Xms${heapMiB}m -Xmx${heapMiB}m`;
}
