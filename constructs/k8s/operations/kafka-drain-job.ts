import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { kafkaImage, kubernetesRuntime } from '../../kafka/kubernetes/deployment-plan';
import { REASSIGN_FILES, reassignFiles } from '../../kafka/operations/reassignment';
import { clientPodLabels } from '../../kafka/security/network-policy';
import { clusterLabels } from '../labels';
import { kafkaToolContainer, kafkaToolTmpVolume } from '../kafka-tool-container';
import { restrictedPodSecurityContext } from '../restricted-security-context';
import { type AdminCredentials, adminVolumeSources } from './admin-credentials';

export interface KafkaDrainJobProps extends AdminCredentials {
  readonly model: ClusterModel;
}

/**
 * While `operations.brokers.draining` lists brokers: a Job that moves every replica off them (`reassign.sh drain`:
 * within their zone, throttled, resumed if interrupted, verified, throttles removed) and succeeds only when they hold
 * none. Its name carries the brokers, so a different drain is a new Job (Jobs are immutable). It needs no Kubernetes
 * API access; the NetworkPolicies admit it to the client port as a client of the cluster.
 */
export class KafkaDrainJob extends Construct {
  readonly jobName: string;

  constructor(scope: Construct, id: string, props: KafkaDrainJobProps) {
    super(scope, id);
    const { model } = props;
    const { spec } = model;
    const draining = [...spec.operations.brokers.draining].sort((a, b) => a - b);
    const name = `${spec.kafka.clusterName}-drain-${draining.join('-')}`;
    this.jobName = name;
    const labels = { ...clusterLabels(spec), 'app.kubernetes.io/component': 'drain' };
    const uid = kubernetesRuntime(spec).runAsUser;
    const planPath = '/etc/kafka-drain/plan';
    new k8s.KubeConfigMap(this, 'plan', { metadata: { name, labels }, data: reassignFiles(model) });
    new k8s.KubeJob(this, 'job', {
      metadata: { name, labels },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: spec.operations.reassignment.timeoutHours * 3600 + 600,
        template: {
          metadata: { labels: { ...labels, ...clientPodLabels(spec) } },
          spec: {
            automountServiceAccountToken: false,
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurityContext(uid),
            containers: [
              kafkaToolContainer({
                name: 'drain',
                image: kafkaImage(spec),
                command: ['bash', `${planPath}/${REASSIGN_FILES.script}`, 'drain'],
                env: [
                  { name: 'ADMIN_DIR', value: '/etc/kafka-drain/admin' },
                  { name: 'HOME', value: '/tmp' },
                ],
                volumeMounts: [
                  { name: 'plan', mountPath: planPath, readOnly: true },
                  { name: 'admin', mountPath: '/etc/kafka-drain/admin', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
                uid,
              }),
            ],
            volumes: [
              { name: 'plan', configMap: { name } },
              { name: 'admin', projected: { sources: adminVolumeSources(model, name, props) } },
              kafkaToolTmpVolume(),
            ],
          },
        },
      },
    });
  }
}
