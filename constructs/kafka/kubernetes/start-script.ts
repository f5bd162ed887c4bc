import { ADMIN_USER, type ClusterModel, listenerByKey } from '../model/cluster-model';
import type { NodeRole } from '../model/sizing';
import kafkaFormatScriptText from './scripts/kafka-format.sh';
import kafkaStartScriptText from './scripts/kafka-start.sh';

/**
 * What a Kafka pod runs on Kubernetes: an init container that formats storage, then Kafka (the scripts read
 * /opt/kafka = KAFKA_HOME and /etc/kafka/nodes = KUBERNETES_CONFIG_DIR; a test holds them equal). The pod finds its own pre-rendered server.properties by its name
 * (`<statefulset>-<ordinal>`, from the downward API): node.id, rack and advertised host are in that file, decided
 * once by the model, so what reviewers read in `dist/<env>/kafka/` is byte for byte what the pod loads.
 */

/** Environment variable with the pod's name (downward API `metadata.name`). */
export const POD_NAME_ENV = 'POD_NAME';
/** Environment variable with the admin's SCRAM password (a Secret reference, never a literal). */
export const ADMIN_PASSWORD_ENV = 'KAFKA_ADMIN_PASSWORD';
/** Key of the log4j2 configuration in the config ConfigMap. */
export const LOGGING_CONFIG_KEY = 'log4j2.yaml';

/**
 * Whether storage formatting of a role's nodes creates the admin's SCRAM credential (KIP-900). Only controllers:
 * the credential goes into the bootstrap metadata the quorum writes, so brokers never need the password.
 */
export function createsAdminAtFormat(model: ClusterModel, role: NodeRole): boolean {
  return role === 'controller' && listenerByKey(model, 'client').authentication === 'scram-sha-512';
}

/** POSIX shell run as `sh -c` by the `kafka-format` init container (`scripts/kafka-format.sh`, byte for byte). */
export const KAFKA_FORMAT_SCRIPT: string = kafkaFormatScriptText;

/** POSIX shell run as `sh -c` by every Kafka container (`scripts/kafka-start.sh`, byte for byte). */
export const KAFKA_START_SCRIPT: string = kafkaStartScriptText;

/** The start script's parameters besides POD_NAME, as plain container environment variables. */
export function kafkaStartEnvironment(role: NodeRole): { name: string; value: string }[] {
  return [{ name: 'KAFKA_NODE_ROLE', value: role }];
}

/**
 * The format script's parameters besides POD_NAME (none is a secret; on controllers of a SCRAM cluster the pod
 * template adds the admin password from its Secret through ADMIN_PASSWORD_ENV).
 */
export function kafkaFormatEnvironment(model: ClusterModel, role: NodeRole): { name: string; value: string }[] {
  return [
    ...kafkaStartEnvironment(role),
    { name: 'KAFKA_CLUSTER_ID', value: model.spec.kafka.clusterId },
    ...(createsAdminAtFormat(model, role) ? [{ name: 'KAFKA_ADMIN_USER', value: ADMIN_USER }] : []),
  ];
}

/**
 * Kafka's logging on Kubernetes: everything to stdout, where the cluster's log collector picks it up, and no log
 * files that would fill the pod's small writable volume. The request logger stays at WARN (at INFO it logs every
 * request); authoriser denials are logged at INFO and kept.
 */
export function kafkaLoggingConfig(): string {
  return [
    'Configuration:',
    '  name: kafka',
    '  Appenders:',
    '    Console:',
    '      name: STDOUT',
    '      target: SYSTEM_OUT',
    '      PatternLayout:',
    '        pattern: "[%d] %p %m (%c)%n"',
    '  Loggers:',
    '    Root:',
    '      level: INFO',
    '      AppenderRef:',
    '        - ref: STDOUT',
    '    Logger:',
    '      - name: kafka.request.logger',
    '        level: WARN',
    '        additivity: false',
    '        AppenderRef:',
    '          - ref: STDOUT',
    '      - name: kafka.authorizer.logger',
    '        level: INFO',
    '        additivity: false',
    '        AppenderRef:',
    '          - ref: STDOUT',
    '',
  ].join('\n');
}
