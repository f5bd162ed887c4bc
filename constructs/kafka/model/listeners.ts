import type { Authentication, ResolvedSpec } from '../spec/environment-spec';
import type { NodeRole } from './sizing';
import type { KafkaNode } from './topology';

/** Kafka's names for the wire protocols a listener can speak. */
export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

/** One Kafka listener, resolved from the spec. */
export interface KafkaListener {
  /** Kafka's listener name, as used in `listeners` and `listener.name.<name lower-case>.` prefixes. */
  readonly name: 'CLIENT' | 'REPLICATION' | 'CONTROLLER' | 'EXTERNAL';
  /** The spec field it comes from: `kafka.listeners.<key>`. */
  readonly key: 'client' | 'replication' | 'controller' | 'external';
  /** TCP port, the same on every node that binds it. */
  readonly port: number;
  /** Whether connections are encrypted. */
  readonly tls: boolean;
  /** How peers authenticate. */
  readonly authentication: Authentication;
  /** Kafka's protocol name for that combination (`listener.security.protocol.map`). */
  readonly securityProtocol: SecurityProtocol;
  /** The role of the nodes that bind it; brokers still dial the controller listener. */
  readonly boundBy: NodeRole;
}

/** Kafka's protocol name for a listener's encryption and authentication. */
export function securityProtocolOf(tls: boolean, authentication: Authentication): SecurityProtocol {
  const sasl = authentication === 'scram-sha-512';
  if (tls) return sasl ? 'SASL_SSL' : 'SSL';
  return sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
}

/** The three listeners of every cluster, plus the optional external one, in the order they are rendered. */
export function resolveListeners(spec: ResolvedSpec): KafkaListener[] {
  const { client, replication, controller, external } = spec.kafka.listeners;
  const make = (
    name: KafkaListener['name'],
    key: KafkaListener['key'],
    listener: typeof client,
    boundBy: NodeRole,
  ): KafkaListener => ({
    name,
    key,
    port: listener.port,
    tls: listener.tls,
    authentication: listener.authentication,
    securityProtocol: securityProtocolOf(listener.tls, listener.authentication),
    boundBy,
  });
  return [
    make('CLIENT', 'client', client, 'broker'),
    make('REPLICATION', 'replication', replication, 'broker'),
    make('CONTROLLER', 'controller', controller, 'controller'),
    ...(external ? [make('EXTERNAL', 'external', external, 'broker')] : []),
  ];
}

/** The name a node advertises on a listener: its in-cluster DNS name, or on the external listener `<pod>.<domain>`. */
export function advertisedHost(spec: ResolvedSpec, listener: KafkaListener, node: KafkaNode): string {
  const external = spec.kafka.listeners.external;
  return listener.key === 'external' && external ? `${node.name}.${external.domain}` : node.host;
}

/** The name external clients bootstrap from (its LoadBalancer sits in front of every broker), if any. */
export function externalBootstrapHost(spec: ResolvedSpec): string | undefined {
  const external = spec.kafka.listeners.external;
  return external ? `bootstrap.${external.domain}` : undefined;
}
