import { listenerByKey, type ClusterModel } from '../model/cluster-model';
import { bootstrapServiceName } from '../model/names';
import { KAFKA_EXPORTER_PORT } from './scrape-config';
import saslArgsScript from './scripts/kafka-exporter-sasl-args.sh';

/** Where the init container mounts the kafka-exporter user's Secret (key `password`). */
export const KAFKA_EXPORTER_PASSWORD_DIR = '/etc/kafka-exporter/password';
/** Memory-backed volume holding the argument file with the password, written by the init container. */
export const KAFKA_EXPORTER_SECRET_ARGS_DIR = '/run/kafka-exporter';
/** The argument file (`--sasl.password=...`) the init container writes and kafka-exporter reads with `@file`. */
export const KAFKA_EXPORTER_SECRET_ARGS_FILE = `${KAFKA_EXPORTER_SECRET_ARGS_DIR}/sasl.args`;

/** The init container's script (`scripts/kafka-exporter-sasl-args.sh`, byte for byte) and its environment. */
export const KAFKA_EXPORTER_SASL_ARGS_SCRIPT: string = saslArgsScript;
/** Environment of the init container: where it reads the password and where it writes the argument file. */
export function kafkaExporterSaslArgsEnvironment(): { name: string; value: string }[] {
  return [
    { name: 'KAFKA_EXPORTER_PASSWORD_FILE', value: `${KAFKA_EXPORTER_PASSWORD_DIR}/password` },
    { name: 'KAFKA_EXPORTER_ARGS_FILE', value: KAFKA_EXPORTER_SECRET_ARGS_FILE },
  ];
}
/** Where the cluster CA bundle (`ca.crt`) is mounted in the kafka-exporter container. */
export const KAFKA_EXPORTER_CA_DIR = '/etc/kafka-exporter/ca';

/**
 * Command-line flags of danielqsj/kafka-exporter for this cluster: the bootstrap Service on the client listener,
 * TLS with the cluster CA when the listener encrypts, SCRAM-SHA-512 as user `kafka-exporter` when it authenticates.
 * The password is in an argument file (`@<file>`, kingpin's syntax) that an init container writes from the Secret, so
 * it is never in the exporter's command line or environment.
 */
export function kafkaExporterArgs(model: ClusterModel, user: string): string[] {
  const spec = model.spec;
  if (spec.runtime.kind !== 'kubernetes') throw new Error(`${spec.name}: kafka-exporter runs on the kubernetes runtime`);
  const client = listenerByKey(model, 'client');
  const args = [
    `--kafka.server=${bootstrapServiceName(spec)}.${spec.runtime.namespace}.svc:${client.port}`,
    // Kafka 4 removed the oldest protocol versions (KIP-896): speak a 3.x-era protocol, not the client's 2.0 default.
    '--kafka.version=3.6.0',
    `--web.listen-address=:${KAFKA_EXPORTER_PORT}`,
    '--topic.filter=.*',
    '--group.filter=.*',
  ];
  if (client.tls) args.push('--tls.enabled', `--tls.ca-file=${KAFKA_EXPORTER_CA_DIR}/ca.crt`);
  if (client.authentication === 'scram-sha-512') {
    args.push('--sasl.enabled', '--sasl.mechanism=scram-sha512', `--sasl.username=${user}`, `@${KAFKA_EXPORTER_SECRET_ARGS_FILE}`);
  }
  return args;
}
