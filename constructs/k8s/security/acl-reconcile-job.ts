import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { type ClusterModel, listenerByKey } from '../../kafka/model/cluster-model';
import { kafkaImage } from '../../kafka/kubernetes/deployment-plan';
import { tlsSecretName } from '../../kafka/model/names';
import { clientPodLabels } from '../../kafka/security/network-policy';
import { RECONCILE_PATHS, RECONCILE_SCRIPT_KEY, reconcilePlanFiles, RECONCILE_SCRIPT } from '../../kafka/security/reconcile-script';
import { type KafkaUser, usesScram } from '../../kafka/security/users';
import { kafkaToolContainer, kafkaToolTmpVolume } from '../kafka-tool-container';
import { restrictedPodSecurityContext } from '../restricted-security-context';
import { securityLabels } from './security-labels';

/**
 * What an {@link AclReconcileJob} needs: the cluster, the SCRAM users whose Secrets it mounts, and the admin's
 * credentials.
 */
export interface AclReconcileJobProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** SCRAM users whose password Secrets the job mounts (admin included). */
  readonly scramUsers: readonly KafkaUser[];
  /** Secret with the admin's previous password (AWSPREVIOUS), mounted if present. @default - none */
  readonly previousAdminSecretName?: string;
  /** Secret with the admin's client certificate, when the client listener uses mutual TLS. @default - none */
  readonly adminTlsSecretName?: string;
}

/**
 * Applies the spec's SCRAM users, ACLs, topics and quotas to the running cluster as `admin`, on a schedule: the plan is data in a
 * ConfigMap, the script is `RECONCILE_SCRIPT`, the tools are those of the Kafka image itself. The pod needs no
 * Kubernetes API access (token not mounted, no RBAC) and reaches only the client port (NetworkPolicy).
 */
export class AclReconcileJob extends Construct {
  /** Name of the ConfigMap with the reconcile plan and script, `<cluster>-reconcile-plan`. */
  readonly configMapName: string;
  /** Name of the CronJob that runs the reconcile, `<cluster>-reconcile`. */
  readonly cronJobName: string;

  constructor(scope: Construct, id: string, props: AclReconcileJobProps) {
    super(scope, id);
    const { model } = props;
    const { spec } = model;
    const cluster = spec.kafka.clusterName;
    // The Kafka image's own user, as for the Kafka pods.
    const uid = spec.runtime.kind === 'kubernetes' ? spec.runtime.runAsUser : 1000;
    const labels = securityLabels(spec, 'acl-reconciler');
    this.configMapName = `${cluster}-reconcile-plan`;
    this.cronJobName = `${cluster}-reconcile`;
    const serviceAccountName = `${cluster}-reconciler`;

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name: serviceAccountName, labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'plan', {
      metadata: { name: this.configMapName, labels },
      data: { ...reconcilePlanFiles(model), [RECONCILE_SCRIPT_KEY]: RECONCILE_SCRIPT },
    });

    const volumes: k8s.Volume[] = [
      { name: 'plan', configMap: { name: this.configMapName } },
      // The script's private scratch space (client configs holding passwords): memory only, gone with the pod.
      kafkaToolTmpVolume(),
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'plan', mountPath: RECONCILE_PATHS.plan, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ];
    if (listenerByKey(model, 'client').tls) {
      // Only the CA certificate of the brokers' Secret: the job must not hold a node's private key.
      volumes.push({ name: 'ca', secret: { secretName: tlsSecretName(spec, 'broker'), items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
      mounts.push({ name: 'ca', mountPath: RECONCILE_PATHS.ca, readOnly: true });
    }
    if (usesScram(spec)) {
      volumes.push({
        name: 'users',
        projected: {
          sources: props.scramUsers.map((user) => ({
            secret: { name: user.kubernetesSecret, items: [{ key: 'password', path: user.name }] },
          })),
        },
      });
      mounts.push({ name: 'users', mountPath: RECONCILE_PATHS.users, readOnly: true });
      if (props.previousAdminSecretName) {
        // Absent until the admin password is rotated for the first time.
        volumes.push({ name: 'admin-previous', secret: { secretName: props.previousAdminSecretName, optional: true } });
        mounts.push({ name: 'admin-previous', mountPath: RECONCILE_PATHS.previousAdmin, readOnly: true });
      }
    } else if (props.adminTlsSecretName) {
      volumes.push({ name: 'admin-tls', secret: { secretName: props.adminTlsSecretName, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } });
      mounts.push({ name: 'admin-tls', mountPath: RECONCILE_PATHS.adminTls, readOnly: true });
    }

    new k8s.KubeCronJob(this, 'cron-job', {
      metadata: { name: this.cronJobName, labels },
      spec: {
        schedule: spec.security.reconcileSchedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 1800,
            template: {
              metadata: { labels: { ...labels, ...clientPodLabels(spec) } },
              spec: {
                serviceAccountName,
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurityContext(uid),
                containers: [
                  kafkaToolContainer({
                    name: 'reconcile',
                    image: kafkaImage(spec),
                    command: ['bash', `${RECONCILE_PATHS.plan}/${RECONCILE_SCRIPT_KEY}`],
                    volumeMounts: mounts,
                    uid,
                  }),
                ],
                volumes,
              },
            },
          },
        },
      },
    });
  }
}
