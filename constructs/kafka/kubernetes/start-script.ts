import { ADMIN_USER, type ClusterModel, listenerByKey } from '../model/cluster-model';
import { KAFKA_HOME, KUBERNETES_CONFIG_DIR } from './deployment-plan';
import type { NodeRole } from '../model/sizing';

/**
 * What a Kafka container runs on Kubernetes. The pod finds its own pre-rendered server.properties by its name
 * (`<statefulset>-<ordinal>`, from the downward API): node.id, rack and advertised host are in that file, decided
 * once by the model, so what reviewers read in `dist/<env>/kafka/` is byte for byte what the pod loads.
 */

/** Environment variable with the pod's name (downward API `metadata.name`). */
export const POD_NAME_ENV = 'POD_NAME';
/** Environment variable with the admin's SCRAM password (a Secret reference, never a literal). */
export const ADMIN_PASSWORD_ENV = 'KAFKA_ADMIN_PASSWORD';
/** Key of the log4j2 configuration in the config ConfigMap. */
export const LOGGING_CONFIG_KEY = 'log4j2.yaml';

/** Whether storage formatting must create the admin's SCRAM credential (KIP-900). */
export function createsAdminAtFormat(model: ClusterModel): boolean {
  return listenerByKey(model, 'client').authentication === 'scram-sha-512';
}

/**
 * POSIX shell run as `sh -c` by every Kafka container of a role:
 * 1. pick this pod's config; fail loudly when the pod has none (a StatefulSet scaled by hand beyond the spec);
 * 2. format storage with the environment's cluster id; `--ignore-formatted` makes it a no-op on every later start,
 *    and a volume formatted for another cluster id makes Kafka refuse to start instead of joining the wrong cluster;
 *    with SCRAM, formatting also creates the admin user so it exists before the cluster serves requests;
 * 3. `exec` Kafka so it is PID 1 and receives SIGTERM for a controlled shutdown.
 * Heap and JVM options come from the container's environment (KAFKA_HEAP_OPTS, KAFKA_OPTS).
 */
export function kafkaStartScript(model: ClusterModel, role: NodeRole): string {
  const config = `${KUBERNETES_CONFIG_DIR}/\${${POD_NAME_ENV}}.properties`;
  const format = [
    `${KAFKA_HOME}/bin/kafka-storage.sh format`,
    `--cluster-id '${model.spec.kafka.clusterId}'`,
    '--config "$config"',
    '--ignore-formatted',
  ];
  if (createsAdminAtFormat(model)) {
    // The password is expanded by the shell from the environment: it never appears in a manifest.
    format.push(`--add-scram "SCRAM-SHA-512=[name=${ADMIN_USER},password=\${${ADMIN_PASSWORD_ENV}:?}]"`);
  }
  return [
    'set -eu',
    `config="${config}"`,
    'if [ ! -f "$config" ]; then',
    `  echo "no Kafka config for pod \${${POD_NAME_ENV}} in ${KUBERNETES_CONFIG_DIR}: is the ${role} StatefulSet scaled beyond the environment spec?" >&2`,
    '  exit 1',
    'fi',
    ...(createsAdminAtFormat(model) ? scramPasswordCheck() : []),
    format.join(' \\\n  '),
    // Without -loggc, kafka-server-start.sh writes no GC log files to the (size-limited) log volume.
    `export EXTRA_ARGS='-name kafkaServer'`,
    `exec ${KAFKA_HOME}/bin/kafka-server-start.sh "$config"`,
    '',
  ].join('\n');
}

/**
 * `--add-scram` takes `[name=...,password=...]` and cuts at commas and brackets, so a password holding one would be
 * silently truncated; stop with a clear message instead. Generated passwords should exclude punctuation.
 */
function scramPasswordCheck(): string[] {
  return [
    `case "\${${ADMIN_PASSWORD_ENV}:?${ADMIN_PASSWORD_ENV} is not set}" in`,
    `  *[],[\\"\\'=[:space:]]*) echo "${ADMIN_PASSWORD_ENV} holds a character --add-scram cannot take (, [ ] = quotes or spaces)" >&2; exit 1 ;;`,
    'esac',
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
