import { aclLine, desiredAcls, ownedPrincipals } from './acl-plan';
import { ADMIN_USER, type ClusterModel, listenerByKey } from '../model/cluster-model';
import { bootstrapServiceName } from '../model/names';
import { renderEnvFile } from '../config/env-file';
import { scramUsers, usesScram } from './users';
import { desiredTopics } from '../topics/desired-topics';
import { desiredTopicLine, topicConfigLines } from '../topics/topic-plan';
import { desiredQuotas, quotaEntityLines, quotaLimitLines } from '../topics/quota-plan';
import reconcileScript from './scripts/reconcile.sh';

/**
 * The reconcile: a bash script (`scripts/reconcile.sh`) run with Kafka's own tools (kafka-configs.sh,
 * kafka-acls.sh, kafka-topics.sh), plus the plan it reads, rendered as data so the script text is the same for
 * every cluster, spec and runtime (the Kubernetes CronJob and the VM controllers' timer): how to connect is in the
 * plan's `connection.env`.
 *
 * Idempotent: a SCRAM credential is (re)set only when the user cannot authenticate with the password in its
 * Secret (so a rotated password is applied on the next run and an unchanged one is left alone); ACLs are diffed
 * against `kafka-acls.sh --list` with the rules of `acl-plan.ts`, topics and quotas against `--describe` with the
 * rules of `topics/topic-plan.ts` and `topics/quota-plan.ts`, and only the difference is applied.
 */

/** Where the job's pod mounts what it reads. Overridable by environment variables so tests can run the script. */
export const RECONCILE_PATHS = {
  plan: '/etc/kafka-reconcile/plan',
  users: '/etc/kafka-reconcile/users',
  previousAdmin: '/etc/kafka-reconcile/admin-previous',
  ca: '/etc/kafka-reconcile/ca',
  adminTls: '/etc/kafka-reconcile/admin-tls',
  kafkaBin: '/opt/kafka/bin',
} as const;

/** Files of the plan ConfigMap. */
export const PLAN_FILES = {
  desiredAcls: 'acls.desired',
  ownedPrincipals: 'principals.owned',
  scramUsers: 'users.scram',
  retiredUsers: 'users.retired',
  /** `name|partitions|replicationFactor|present|deleted` per owned topic. */
  topics: 'topics.desired',
  /** `name|key|value` per declared topic config. */
  topicConfigs: 'topics.configs',
  /** `user|clientId` per owned quota entity. */
  quotaEntities: 'quotas.entities',
  /** `user|clientId|key|value` per declared limit. */
  quotaLimits: 'quotas.desired',
  connection: 'connection.env',
} as const;

/** The script, byte for byte the file. */
export const RECONCILE_SCRIPT: string = reconcileScript;

export const RECONCILE_SCRIPT_KEY = 'reconcile.sh';

/** The plan: every file is one item per line, sorted, newline-terminated (empty when there is nothing). */
export function reconcilePlanFiles(model: ClusterModel): Record<string, string> {
  const lines = (items: readonly string[]) => items.map((item) => `${item}\n`).join('');
  const { spec } = model;
  const topics = desiredTopics(spec);
  const quotas = desiredQuotas(spec);
  return {
    [PLAN_FILES.desiredAcls]: lines(desiredAcls(spec).map(aclLine)),
    [PLAN_FILES.ownedPrincipals]: lines(ownedPrincipals(spec)),
    [PLAN_FILES.scramUsers]: lines(scramUsers(spec).map((user) => user.name)),
    [PLAN_FILES.retiredUsers]: lines([...spec.security.retiredUsers].sort()),
    [PLAN_FILES.topics]: lines(topics.map(desiredTopicLine)),
    [PLAN_FILES.topicConfigs]: lines(topics.flatMap(topicConfigLines)),
    [PLAN_FILES.quotaEntities]: lines(quotaEntityLines(quotas)),
    [PLAN_FILES.quotaLimits]: lines(quotaLimitLines(quotas)),
    [PLAN_FILES.connection]: connectionEnv(model),
  };
}

/** Whether the reconcile runs at all: with an authoriser (users, ACLs) or with topics or quotas to keep. */
export function reconcileEnabled(model: ClusterModel): boolean {
  return model.authorization || Object.keys(model.spec.topics).length > 0 || model.spec.quotas.length > 0;
}

/**
 * `host:port[,...]` the reconcile talks to: on Kubernetes the bootstrap Service, whose name the broker certificate
 * carries; on VMs every broker's advertised name (each broker's certificate carries its own).
 */
export function reconcileBootstrapServer(model: ClusterModel): string {
  const { spec } = model;
  const port = listenerByKey(model, 'client').port;
  if (spec.runtime.kind === 'vm') {
    return model.nodes
      .filter((node) => node.role === 'broker')
      .map((node) => `${node.host}:${port}`)
      .join(',');
  }
  return `${bootstrapServiceName(spec)}.${spec.runtime.namespace}.svc:${port}`;
}

/** How the script connects: the bootstrap server and the client listener's protocol, as the admin authenticates. */
function connectionEnv(model: ClusterModel): string {
  const client = listenerByKey(model, 'client');
  return renderEnvFile(`How the reconcile of cluster ${model.spec.kafka.clusterName} (environment ${model.spec.name}) connects. Generated; no secrets.`, [
    ['KAFKA_CLUSTER', model.spec.kafka.clusterName],
    ['KAFKA_BOOTSTRAP_SERVER', reconcileBootstrapServer(model)],
    ['CLIENT_SECURITY_PROTOCOL', client.securityProtocol],
    ['CLIENT_TLS', client.tls],
    // Without SCRAM the admin authenticates with its client certificate (CN=admin); dev may have no authentication.
    ['CLIENT_AUTHENTICATION', usesScram(model.spec) ? 'scram-sha-512' : model.authorization ? 'mtls' : 'none'],
    ['ADMIN_USER', ADMIN_USER],
  ]);
}
