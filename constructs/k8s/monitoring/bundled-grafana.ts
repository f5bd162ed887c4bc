import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { GRAFANA_DASHBOARDS_DIR, GRAFANA_PORT, PROMETHEUS_PORT, bundledNames, grafanaProvisioning } from '../../kafka/monitoring/bundled-stack';
import { monitoringWorkloadLabels } from '../labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../restricted-security-context';

/** What a {@link BundledGrafana} needs: the cluster and the dashboard ConfigMaps to provision. */
export interface BundledGrafanaProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** The dashboard ConfigMaps to mount (from `DashboardConfigMaps`). */
  readonly dashboardConfigMaps: readonly string[];
}

const UID = 472;

/**
 * Grafana with the Prometheus datasource and the cluster's dashboards provisioned, for clusters without a Grafana.
 * The admin password is read from Secret `<cluster>-grafana-admin` (key `admin-password`), which the user creates;
 * nothing secret is in the output. Reach it with `kubectl port-forward`; it only talks to Prometheus and DNS.
 */
export class BundledGrafana extends Construct {
  /** Name of the Deployment and Service: `<cluster>-grafana`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: BundledGrafanaProps) {
    super(scope, id);
    const { model } = props;
    const spec = model.spec;
    const names = bundledNames(model);
    this.name = names.grafana;
    const { selector, labels } = monitoringWorkloadLabels(spec, 'grafana', this.name);
    const metadata = { name: this.name, labels };
    const provisioning = grafanaProvisioning(model);

    new k8s.KubeConfigMap(this, 'provisioning', {
      metadata: { name: `${this.name}-provisioning`, labels },
      data: { 'datasources.yaml': provisioning.datasources, 'dashboards.yaml': provisioning.dashboards },
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
                name: 'grafana',
                image: spec.monitoring.grafana.image,
                ports: [{ name: 'web', containerPort: GRAFANA_PORT }],
                env: [
                  { name: 'GF_SECURITY_ADMIN_USER', value: 'admin' },
                  { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: names.grafanaAdminSecret, key: 'admin-password' } } },
                  { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'false' },
                  { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
                  { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
                  { name: 'GF_PATHS_PROVISIONING', value: '/etc/grafana/provisioning' },
                ],
                readinessProbe: { httpGet: { path: '/api/health', port: k8s.IntOrString.fromString('web') }, periodSeconds: 10 },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                  limits: { memory: k8s.Quantity.fromString('512Mi') },
                },
                securityContext: restrictedContainerSecurityContext(UID),
                volumeMounts: [
                  { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
                  { name: 'dashboard-providers', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
                  { name: 'dashboards', mountPath: GRAFANA_DASHBOARDS_DIR, readOnly: true },
                  { name: 'data', mountPath: '/var/lib/grafana' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'datasources', configMap: { name: `${this.name}-provisioning`, items: [{ key: 'datasources.yaml', path: 'datasources.yaml' }] } },
              { name: 'dashboard-providers', configMap: { name: `${this.name}-provisioning`, items: [{ key: 'dashboards.yaml', path: 'dashboards.yaml' }] } },
              // One projected volume gathers every dashboard ConfigMap into the folder the provider reads.
              { name: 'dashboards', projected: { sources: props.dashboardConfigMaps.map((name) => ({ configMap: { name } })) } },
              { name: 'data', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });
    new k8s.KubeService(this, 'service', {
      metadata,
      spec: { selector, ports: [{ name: 'web', port: GRAFANA_PORT, targetPort: k8s.IntOrString.fromString('web') }] },
    });
    const prometheusPods = spec.monitoring.prometheus.deploy
      ? [{ ports: [{ port: k8s.IntOrString.fromNumber(PROMETHEUS_PORT), protocol: 'TCP' }], to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': names.prometheus } } }] }]
      : // An external Prometheus (grafana.prometheusUrl) may live anywhere: allow HTTP(S) out.
        [{ ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }, { port: k8s.IntOrString.fromNumber(PROMETHEUS_PORT), protocol: 'TCP' }, { port: k8s.IntOrString.fromNumber(80), protocol: 'TCP' }] }];
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        // The web port is open to any source: Grafana authenticates every user itself (no anonymous access).
        ingress: [{ ports: [{ port: k8s.IntOrString.fromNumber(GRAFANA_PORT), protocol: 'TCP' }] }],
        egress: [...prometheusPods, { ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' }] }],
      },
    });
  }
}
