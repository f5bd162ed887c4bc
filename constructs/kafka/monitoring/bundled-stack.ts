import { stringify } from 'yaml';
import type { ClusterModel } from '../model/cluster-model';
import type { NodeRole } from '../model/sizing';
import { KAFKA_EXPORTER_PORT, kafkaExporterLabels, kafkaExporterRelabelSteps, kafkaRelabelSteps, toPrometheusRelabelConfigs } from './scrape-config';

/**
 * Configuration of the optional self-contained Prometheus, Alertmanager and Grafana, for clusters without the
 * Prometheus Operator or a Grafana. Pure: the Kubernetes constructs only mount these files.
 */

/** Port of the bundled Prometheus (its web UI and API), Prometheus's own default. */
export const PROMETHEUS_PORT = 9090;
/** Port of the bundled Alertmanager, Alertmanager's own default. */
export const ALERTMANAGER_PORT = 9093;
/** Port of the bundled Grafana, Grafana's own default. */
export const GRAFANA_PORT = 3000;
/** Where the bundled Prometheus reads the rule file (the ConfigMap with `prometheus-rules.yaml`). */
export const PROMETHEUS_RULES_DIR = '/etc/prometheus/rules';
/** Where the bundled Grafana's dashboard provider reads the mounted dashboard ConfigMaps. */
export const GRAFANA_DASHBOARDS_DIR = '/var/lib/grafana/dashboards';

/** Names of the bundled monitoring objects (`<cluster>-prometheus`, ...) and of the Grafana admin Secret the user creates. */
export function bundledNames(model: ClusterModel) {
  const cluster = model.spec.kafka.clusterName;
  return {
    prometheus: `${cluster}-prometheus`,
    alertmanager: `${cluster}-alertmanager`,
    grafana: `${cluster}-grafana`,
    /** Secret the user creates with the Grafana admin password under `admin-password`. */
    grafanaAdminSecret: `${cluster}-grafana-admin`,
  };
}

function namespaceOf(model: ClusterModel): string {
  if (model.spec.runtime.kind !== 'kubernetes') throw new Error(`${model.spec.name}: the bundled monitoring stack needs the kubernetes runtime`);
  return model.spec.runtime.namespace;
}

function podScrapeJob(model: ClusterModel, job: string, selector: Record<string, string>, port: string, relabel: Record<string, unknown>[], attachNode: boolean) {
  return {
    job_name: job,
    kubernetes_sd_configs: [
      {
        role: 'pod',
        namespaces: { names: [namespaceOf(model)] },
        selectors: [{ role: 'pod', label: Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',') }],
        ...(attachNode ? { attach_metadata: { node: true } } : {}),
      },
    ],
    relabel_configs: [
      // Label selection happens in `selectors`; this only picks the named metrics port of the selected pods.
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: port, action: 'keep' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      ...relabel,
    ],
  };
}

/** `prometheus.yml` of the bundled Prometheus: the same targets and labels as the PodMonitors, and the same rules. */
export function bundledPrometheusConfig(model: ClusterModel): Record<string, unknown> {
  const cluster = model.spec.kafka.clusterName;
  const roleSelector = (role: NodeRole) => ({ 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': cluster, 'app.kubernetes.io/component': role });
  const jobs = (['controller', 'broker'] as const).map((role) =>
    podScrapeJob(model, `${cluster}-${role}`, roleSelector(role), 'metrics', toPrometheusRelabelConfigs(kafkaRelabelSteps(model, role)), role === 'controller'),
  );
  if (model.spec.monitoring.kafkaExporter.enabled) {
    jobs.push(podScrapeJob(model, `${cluster}-kafka-exporter`, kafkaExporterLabels(model), 'metrics', toPrometheusRelabelConfigs(kafkaExporterRelabelSteps(model)), false));
  }
  return {
    global: { scrape_interval: '30s', scrape_timeout: '10s', evaluation_interval: '30s' },
    rule_files: [`${PROMETHEUS_RULES_DIR}/*.yaml`],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`${bundledNames(model).alertmanager}:${ALERTMANAGER_PORT}`] }] }] },
    scrape_configs: jobs,
  };
}

/**
 * Alertmanager routing: grouped per alert and cluster, critical alerts inhibit warnings of the same alert. The
 * receiver has no integration: add yours (Slack, PagerDuty, e-mail) before relying on it; see docs/monitoring.md.
 */
export function bundledAlertmanagerConfig(): Record<string, unknown> {
  return {
    route: {
      receiver: 'kafka-oncall',
      group_by: ['alertname', 'environment', 'cluster'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [{ matchers: ['severity="critical"'], receiver: 'kafka-oncall', repeat_interval: '1h' }],
    },
    receivers: [{ name: 'kafka-oncall' }],
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'environment', 'cluster'] }],
  };
}

/** Grafana provisioning: the Prometheus datasource (bundled or `grafana.prometheusUrl`) and the dashboard folder. */
export function grafanaProvisioning(model: ClusterModel): { datasources: string; dashboards: string } {
  const monitoring = model.spec.monitoring;
  const url = monitoring.grafana.prometheusUrl ?? `http://${bundledNames(model).prometheus}:${PROMETHEUS_PORT}`;
  return {
    datasources: stringify({
      apiVersion: 1,
      datasources: [{ name: 'Prometheus', type: 'prometheus', uid: 'prometheus', access: 'proxy', url, isDefault: true, editable: false }],
    }),
    dashboards: stringify({
      apiVersion: 1,
      providers: [{ name: 'kafka', folder: 'Kafka', type: 'file', disableDeletion: true, allowUiUpdates: false, options: { path: GRAFANA_DASHBOARDS_DIR } }],
    }),
  };
}

export { KAFKA_EXPORTER_PORT };
