import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../../kafka/spec/environment-spec';
import { ROLLER_SCRIPT, ROLLER_SCRIPT_KEY, certificateName, certificateRollerLabels, certificateRollerPlanFiles, onDeleteBrokerGroups } from '../../kafka/security/certificate-roller';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../restricted-security-context';
import { securityLabels } from './security-labels';

export interface CertificateRollerProps {
  readonly spec: ResolvedSpec;
}

/** Any non-root UID: the roller writes nothing but kubectl's cache in /tmp. */
const UID = 65532;

/**
 * The CronJob that brings renewed certificates into running nodes (see `security-certificate-roller.ts`), with the
 * least RBAC that needs: read the two node Certificates, list pods, create evictions, all in the Kafka namespace.
 */
export class CertificateRoller extends Construct {
  readonly cronJobName: string;

  constructor(scope: Construct, id: string, props: CertificateRollerProps) {
    super(scope, id);
    const { spec } = props;
    const name = `${spec.kafka.clusterName}-certificate-roller`;
    const labels = securityLabels(spec, 'certificate-roller');
    this.cronJobName = name;
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, labels } });
    const outdatedGroups = onDeleteBrokerGroups(spec).map((group) => group.name);
    new k8s.KubeRole(this, 'role', {
      metadata: { name, labels },
      rules: [
        {
          apiGroups: ['cert-manager.io'],
          resources: ['certificates'],
          resourceNames: [certificateName(spec, 'controller'), certificateName(spec, 'broker')],
          verbs: ['get'],
        },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        // The update revision of the OnDelete broker StatefulSets, whose outdated pods it restarts one at a time.
        ...(outdatedGroups.length > 0 ? [{ apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: outdatedGroups, verbs: ['get'] }] : []),
      ],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name }],
    });
    new k8s.KubeConfigMap(this, 'script', { metadata: { name, labels }, data: { ...certificateRollerPlanFiles(spec), [ROLLER_SCRIPT_KEY]: ROLLER_SCRIPT } });
    new k8s.KubeCronJob(this, 'cron-job', {
      metadata: { name, labels },
      spec: {
        schedule: spec.security.certificates.rollerSchedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 600,
            template: {
              metadata: { labels: { ...labels, ...certificateRollerLabels(spec) } },
              spec: {
                serviceAccountName: name,
                restartPolicy: 'Never',
                securityContext: restrictedPodSecurityContext(UID),
                containers: [
                  {
                    name: 'roll',
                    image: spec.security.certificates.rollerImage,
                    command: ['bash', `/etc/certificate-roller/${ROLLER_SCRIPT_KEY}`],
                    env: [{ name: 'HOME', value: '/tmp' }],
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
                      limits: { memory: k8s.Quantity.fromString('128Mi') },
                    },
                    securityContext: restrictedContainerSecurityContext(UID),
                    volumeMounts: [
                      { name: 'script', mountPath: '/etc/certificate-roller', readOnly: true },
                      { name: 'tmp', mountPath: '/tmp' },
                    ],
                  },
                ],
                volumes: [
                  { name: 'script', configMap: { name } },
                  { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('16Mi') } },
                ],
              },
            },
          },
        },
      },
    });
  }
}
