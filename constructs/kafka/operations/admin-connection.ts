import { renderEnvFile } from '../config/env-file';
import { ADMIN_USER, type ClusterModel, listenerByKey } from '../model/cluster-model';
import { bootstrapServiceName } from '../model/names';

/**
 * How the operations scripts (`scripts/kafka-admin.sh`) connect as the admin: the client listener, its protocol and
 * how the admin authenticates on it (the SCRAM `admin` user, the `admin` client certificate, or nothing in a dev
 * cluster without authentication). Secrets are never in here: the password or certificate is a file beside it.
 */
export const CONNECTION_FILE = 'connection.env';

export type AdminAuthentication = 'scram-sha-512' | 'mtls' | 'none';

export function adminAuthentication(model: ClusterModel): AdminAuthentication {
  return listenerByKey(model, 'client').authentication;
}

/** `host:port` of the client listener: the bootstrap Service on Kubernetes, every broker on VMs. */
export function adminBootstrapServer(model: ClusterModel): string {
  const { spec } = model;
  if (spec.runtime.kind === 'kubernetes') {
    return `${bootstrapServiceName(spec)}.${spec.runtime.namespace}.svc:${listenerByKey(model, 'client').port}`;
  }
  return model.bootstrapServers;
}

export function adminConnectionFile(model: ClusterModel): string {
  const client = listenerByKey(model, 'client');
  return renderEnvFile(`How the operations scripts of cluster ${model.spec.kafka.clusterName} (environment ${model.spec.name}) connect. Generated; no secrets.`, [
    ['KAFKA_CLUSTER', model.spec.kafka.clusterName],
    ['KAFKA_BOOTSTRAP_SERVER', adminBootstrapServer(model)],
    ['CLIENT_SECURITY_PROTOCOL', client.securityProtocol],
    ['CLIENT_TLS', client.tls],
    ['CLIENT_AUTHENTICATION', adminAuthentication(model)],
    ['ADMIN_USER', ADMIN_USER],
  ]);
}
