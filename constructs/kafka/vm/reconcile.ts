import { createHash } from 'node:crypto';
import type { ClusterModel } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import type { KafkaNode } from '../model/topology';
import { RECONCILE_SCRIPT, reconcileEnabled, reconcilePlanFiles } from '../security/reconcile-script';
import { scramUsers } from '../security/users';
import runScript from './scripts/kafka-reconcile-run.sh';

/**
 * The reconcile on VMs: the Kubernetes CronJob's script and plan, run by a systemd timer on every controller.
 * Only the active controller's host acts (the script asks `kafka-metadata-quorum.sh describe --status`), so one node
 * reconciles while the quorum has a majority and the loss of any one node, the active controller included, only
 * moves the work to the next leader. Brokers carry none of it: they hold no admin password.
 *
 * The script and its plan (the "bundle") live in an S3 bucket of the `<env>-kafka` stack, read at every run, not in
 * the user data: a changed topic or quota reaches the cluster with `terraform apply`, without replacing an instance
 * (user data only applies at first boot), and the controllers' user data stays far below EC2's 16 KiB. The user data
 * carries only the small run script and the systemd units.
 */

export const VM_RECONCILE_PATHS = {
  runScript: '/usr/local/sbin/kafka-reconcile-run.sh',
  service: '/etc/systemd/system/kafka-reconcile.service',
  timer: '/etc/systemd/system/kafka-reconcile.timer',
} as const;

/** The VM-only plan file: `user|secret name or ARN|JSON key` of every SCRAM user, read by the run script. */
export const USER_SECRETS_FILE = 'users.secrets';

/** Object name of the reconcile script in the bundle, beside the plan files. */
export const BUNDLE_SCRIPT = 'kafka-reconcile.sh';

/** Key prefix of the bundle's objects in the bucket. */
export const BUNDLE_PREFIX = 'reconcile/';

/**
 * The bundle bucket's name: fixed by the cluster (environment, cluster name, cluster id), so the user data can name it
 * without a Terraform reference, and unique across AWS accounts by the random cluster id.
 */
export function reconcileBucketName(spec: ResolvedSpec): string {
  const digest = createHash('sha256').update(`${spec.name}/${spec.kafka.clusterName}/${spec.kafka.clusterId}`).digest('hex');
  return `kafka-reconcile-${digest.slice(0, 24)}`;
}

/** The VM wrapper: fetches passwords into a private temp dir, then runs the reconcile. Byte for byte the file. */
export const RECONCILE_RUN_SCRIPT: string = runScript;

/** Minutes between runs on each controller (systemd timers take no cron expressions). */
export const VM_RECONCILE_INTERVAL_MINUTES = 10;

/** Whether `node` runs the reconcile timer. */
export function runsReconcile(model: ClusterModel, node: KafkaNode): boolean {
  return node.role === 'controller' && reconcileEnabled(model);
}

/** The Secrets Manager secrets (names or ARNs) the controllers read for the reconcile: every SCRAM user's, admin's included. */
export function vmReconcileSecretIds(model: ClusterModel): string[] {
  if (!reconcileEnabled(model)) return [];
  return [...new Set(scramUsers(model.spec).map((user) => user.awsSecret as string))].sort();
}

function userSecretsLines(model: ClusterModel): string {
  return scramUsers(model.spec)
    .map((user) => `${user.name}|${user.awsSecret}|${user.awsSecretJsonKey ?? ''}\n`)
    .join('');
}

export function reconcileServiceUnit(model: ClusterModel): string {
  return `[Unit]
Description=Reconcile users, ACLs, topics and quotas of Kafka cluster ${model.spec.kafka.clusterName} (acts on the active controller only)
After=kafka.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
User=kafka
Group=kafka
ExecStart=${VM_RECONCILE_PATHS.runScript}
# Passwords live in this run's own /tmp, invisible to other processes and removed with the run.
PrivateTmp=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
Environment=HOME=/tmp
TimeoutStartSec=1800
`;
}

export function reconcileTimerUnit(): string {
  return `[Unit]
Description=Run kafka-reconcile.service every ${VM_RECONCILE_INTERVAL_MINUTES} minutes

[Timer]
OnBootSec=5min
OnUnitActiveSec=${VM_RECONCILE_INTERVAL_MINUTES}min
RandomizedDelaySec=60

[Install]
WantedBy=timers.target
`;
}

/** The bundle: object name (below `BUNDLE_PREFIX`) -> content: the plan files, the user-secrets list and the script. */
export function vmReconcileBundle(model: ClusterModel): Record<string, string> {
  return { ...reconcilePlanFiles(model), [USER_SECRETS_FILE]: userSecretsLines(model), [BUNDLE_SCRIPT]: RECONCILE_SCRIPT };
}

/** The files cloud-init writes for the reconcile on a controller: the run script and the units. */
export function vmReconcileFiles(model: ClusterModel): { path: string; content: string; permissions: string }[] {
  return [
    { path: VM_RECONCILE_PATHS.runScript, content: RECONCILE_RUN_SCRIPT, permissions: '0755' },
    { path: VM_RECONCILE_PATHS.service, content: reconcileServiceUnit(model), permissions: '0644' },
    { path: VM_RECONCILE_PATHS.timer, content: reconcileTimerUnit(), permissions: '0644' },
  ];
}
