import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { ALERTMANAGER_PORT, bundledAlertmanagerConfig, bundledNames } from '../../kafka/monitoring/bundled-stack';
import { monitoringWorkloadLabels } from '../labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../restricted-security-context';

/** What a {@link BundledAlertmanager} needs: the cluster it alerts for. */
export interface BundledAlertmanagerProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
}

const UID = 65534;

/**
 * Alertmanager for the bundled Prometheus. Its routing groups per alert and cluster; the receiver is a placeholder
 * without integrations, because where alerts go (and its credentials) is the user's to add: see docs/monitoring.md.
 * Only the bundled Prometheus may reach it; it may reach nothing but DNS and HTTPS (for webhook/chat receivers).
 */
export class BundledAlertmanager extends Construct {
  /** Name of the Deployment, Service and ConfigMap prefix: `<cluster>-alertmanager`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: BundledAlertmanagerProps) {
    super(scope, id);
    const { model } = props;
    const spec = model.spec;
    const names = bundledNames(model);
    this.name = names.alertmanager;
    const { selector, labels } = monitoringWorkloadLabels(spec, 'alertmanager', this.name);
    const metadata = { name: this.name, labels };

    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${this.name}-config`, labels },
      data: { 'alertmanager.yml': stringify(bundledAlertmanagerConfig(), { lineWidth: 0 }) },
    });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(UID),
            containers: [
              {
                name: 'alertmanager',
                image: spec.monitoring.prometheus.alertmanagerImage,
                args: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', `--web.listen-address=:${ALERTMANAGER_PORT}`],
                ports: [{ name: 'web', containerPort: ALERTMANAGER_PORT }],
                readinessProbe: { httpGet: { path: '/-/ready', port: k8s.IntOrString.fromString('web') }, periodSeconds: 10 },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                  limits: { memory: k8s.Quantity.fromString('256Mi') },
                },
                securityContext: restrictedContainerSecurityContext(UID),
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/alertmanager', readOnly: true },
                  { name: 'data', mountPath: '/alertmanager' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: `${this.name}-config` } },
              { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata,
      spec: { selector, ports: [{ name: 'web', port: ALERTMANAGER_PORT, targetPort: k8s.IntOrString.fromString('web') }] },
    });
    const prometheus = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': names.prometheus };
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ port: k8s.IntOrString.fromNumber(ALERTMANAGER_PORT), protocol: 'TCP' }], from: [{ podSelector: { matchLabels: prometheus } }] }],
        egress: [
          { ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }] },
          { ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' }] },
        ],
      },
    });
  }
}
