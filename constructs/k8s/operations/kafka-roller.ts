import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { kafkaImage, kubernetesRuntime } from '../../kafka/kubernetes/deployment-plan';
import {
  ROLLER_FILES,
  ROLLER_PATHS,
  kafkaRollerFiles,
  kafkaRollerLabels,
  kafkaRollerName,
  roleCertificateName,
  rollGroups,
  rollerDeadlineSeconds,
} from '../../kafka/operations/kubernetes-roller';
import { clientPodLabels } from '../../kafka/security/network-policy';
import { clusterLabels } from '../labels';
import { kafkaToolContainer, kafkaToolTmpVolume } from '../kafka-tool-container';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../restricted-security-context';
import { type AdminCredentials, adminVolumeSources } from './admin-credentials';

export interface KafkaRollerProps extends AdminCredentials {
  readonly model: ClusterModel;
}

/**
 * The CronJob that restarts Kafka pods one at a time when it is safe (see `kafka/operations/kubernetes-roller.ts`).
 * It runs the Kafka image's own tools as the admin, with kubectl copied in by an init container from
 * `security.certificates.rollerImage`; every container meets the restricted Pod Security Standard. RBAC is the least
 * that needs: read the node Certificates and StatefulSets, list pods, create evictions, in the Kafka namespace.
 */
export class KafkaRoller extends Construct {
  readonly cronJobName: string;

  constructor(scope: Construct, id: string, props: KafkaRollerProps) {
    super(scope, id);
    const { model } = props;
    const { spec } = model;
    const name = kafkaRollerName(spec);
    const labels = { ...clusterLabels(spec), 'app.kubernetes.io/component': 'roller' };
    // The Kafka image's own user, as for the Kafka pods and the reconcile job.
    const uid = kubernetesRuntime(spec).runAsUser;
    this.cronJobName = name;
    const groups = rollGroups(model);
    const certificates = (['controller', 'broker'] as const).map((role) => roleCertificateName(model, role)).filter((certificate): certificate is string => !!certificate);

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, labels } });
    new k8s.KubeRole(this, 'role', {
      metadata: { name, labels },
      rules: [
        ...(certificates.length > 0 ? [{ apiGroups: ['cert-manager.io'], resources: ['certificates'], resourceNames: certificates, verbs: ['get'] }] : []),
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        { apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: groups.filter((group) => group.rollsRevisions).map((group) => group.statefulSet), verbs: ['get'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name }],
    });
    new k8s.KubeConfigMap(this, 'plan', { metadata: { name, labels }, data: kafkaRollerFiles(model) });

    new k8s.KubeCronJob(this, 'cron-job', {
      metadata: { name, labels },
      spec: {
        schedule: spec.security.certificates.rollerSchedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            // A failed run is a finding for a person (a node that did not catch up); retrying at once would not help.
            backoffLimit: 0,
            activeDeadlineSeconds: rollerDeadlineSeconds(model),
            template: {
              // The client label lets the NetworkPolicies admit it to the client port, like the other admin jobs.
              metadata: { labels: { ...labels, ...kafkaRollerLabels(spec), ...clientPodLabels(spec) } },
              spec: {
                serviceAccountName: name,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurityContext(uid),
                initContainers: [
                  {
                    name: 'kubectl',
                    image: spec.security.certificates.rollerImage,
                    command: ['cp', '/usr/bin/kubectl', `${ROLLER_PATHS.tools}/kubectl`],
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
                      limits: { memory: k8s.Quantity.fromString('64Mi') },
                    },
                    securityContext: restrictedContainerSecurityContext(uid),
                    volumeMounts: [{ name: 'tools', mountPath: ROLLER_PATHS.tools }],
                  },
                ],
                containers: [
                  kafkaToolContainer({
                    name: 'roll',
                    image: kafkaImage(spec),
                    command: ['bash', `${ROLLER_PATHS.plan}/${ROLLER_FILES.script}`],
                    env: [
                      { name: 'KUBECTL', value: `${ROLLER_PATHS.tools}/kubectl` },
                      { name: 'ADMIN_DIR', value: ROLLER_PATHS.admin },
                      { name: 'HOME', value: '/tmp' },
                    ],
                    volumeMounts: [
                      { name: 'plan', mountPath: ROLLER_PATHS.plan, readOnly: true },
                      { name: 'admin', mountPath: ROLLER_PATHS.admin, readOnly: true },
                      { name: 'tools', mountPath: ROLLER_PATHS.tools, readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                    uid,
                  }),
                ],
                volumes: [
                  { name: 'plan', configMap: { name } },
                  { name: 'admin', projected: { sources: adminVolumeSources(model, name, props) } },
                  { name: 'tools', emptyDir: { sizeLimit: k8s.Quantity.fromString('128Mi') } },
                  kafkaToolTmpVolume(),
                ],
              },
            },
          },
        },
      },
    });
  }
}
