import type { k8s } from 'cdk8s-plus-27';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { tlsSecretName } from '../../kafka/model/names';
import { CONNECTION_FILE } from '../../kafka/operations/admin-connection';

/** Where the admin's credentials come from on Kubernetes: Secrets made by the security chart. */
export interface AdminCredentials {
  /** Secret with the admin's SCRAM password under `password`, when the client listener uses SCRAM. @default - none */
  readonly adminPasswordSecretName?: string;
  /** Secret with the admin's client certificate (`tls.crt`, `tls.key`), for a mutual-TLS client listener. @default - none */
  readonly adminTlsSecretName?: string;
}

/**
 * The folder `kafka-admin.sh` reads as ADMIN_DIR, as one projected volume: connection.env from the job's ConfigMap,
 * the brokers' CA certificate (never a node's key) and the admin's own credential.
 */
export function adminVolumeSources(model: ClusterModel, configMapName: string, credentials: AdminCredentials): k8s.VolumeProjection[] {
  const sources: k8s.VolumeProjection[] = [{ configMap: { name: configMapName, items: [{ key: CONNECTION_FILE, path: CONNECTION_FILE }] } }];
  if (model.listeners.find((listener) => listener.key === 'client')?.tls) {
    sources.push({ secret: { name: tlsSecretName(model.spec, 'broker'), items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
  }
  if (credentials.adminPasswordSecretName) sources.push({ secret: { name: credentials.adminPasswordSecretName, items: [{ key: 'password', path: 'password' }] } });
  if (credentials.adminTlsSecretName) {
    sources.push({ secret: { name: credentials.adminTlsSecretName, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } });
  }
  return sources;
}
