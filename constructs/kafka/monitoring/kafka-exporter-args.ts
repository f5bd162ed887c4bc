import { listenerByKey, type ClusterModel } from '../model/cluster-model';
import { bootstrapServiceName } from '../model/names';
import { KAFKA_EXPORTER_PORT } from './scrape-config';

/** Environment variable the kafka-exporter's SCRAM password is read into (from its Secret, never inline). */
export const KAFKA_EXPORTER_PASSWORD_ENV = 'KAFKA_EXPORTER_PASSWORD';
/** Where the cluster CA bundle (`ca.crt`) is mounted in the kafka-exporter container. */
export const KAFKA_EXPORTER_CA_DIR = '/etc/kafka-exporter/ca';

/**
 * Command-line flags of danielqsj/kafka-exporter for this cluster: the bootstrap Service on the client listener,
 * TLS with the cluster CA when the listener encrypts, SCRAM-SHA-512 as user `kafka-exporter` when it authenticates.
 * The password is `$(KAFKA_EXPORTER_PASSWORD)`, which Kubernetes expands from the Secret-backed env var at start.
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
    args.push('--sasl.enabled', '--sasl.mechanism=scram-sha512', `--sasl.username=${user}`, `--sasl.password=$(${KAFKA_EXPORTER_PASSWORD_ENV})`);
  }
  return args;
}
