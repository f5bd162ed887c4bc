import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { kafkaExporterEnabled } from '../constructs/kafka/security/users';
import { BundledAlertmanager } from '../constructs/k8s/monitoring/bundled-alertmanager';
import { BundledGrafana } from '../constructs/k8s/monitoring/bundled-grafana';
import { BundledPrometheus } from '../constructs/k8s/monitoring/bundled-prometheus';
import { DashboardConfigMaps } from '../constructs/k8s/monitoring/dashboard-config-maps';
import { JmxExporterConfigMap } from '../constructs/k8s/monitoring/jmx-exporter-config-map';
import { KafkaExporter } from '../constructs/k8s/monitoring/kafka-exporter';
import { KafkaPodMonitor } from '../constructs/k8s/monitoring/kafka-pod-monitor';
import { KafkaPrometheusRule } from '../constructs/k8s/monitoring/kafka-prometheus-rule';

/**
 * Monitoring of one Kubernetes environment: the JMX exporter rules the Kafka pods mount, PodMonitors and the
 * PrometheusRule (Prometheus Operator), the consumer-lag exporter, dashboards for Grafana's sidecar, and optionally
 * a self-contained Prometheus + Alertmanager and Grafana.
 */
export class MonitoringChart extends Chart {
  constructor(scope: Construct, id: string, model: ClusterModel) {
    const { spec } = model;
    if (spec.runtime.kind !== 'kubernetes') {
      throw new Error(`MonitoringChart: environment ${spec.name} runs on ${spec.runtime.kind}, not kubernetes`);
    }
    super(scope, id, { namespace: spec.runtime.namespace, disableResourceNameHashes: true });
    if (!spec.monitoring.enabled) return;

    new JmxExporterConfigMap(this, 'jmx-exporter', { model });
    const operator = spec.monitoring.prometheusOperator.enabled;
    if (operator) {
      new KafkaPodMonitor(this, 'controller-pod-monitor', { model, role: 'controller' });
      new KafkaPodMonitor(this, 'broker-pod-monitor', { model, role: 'broker' });
      new KafkaPrometheusRule(this, 'rules', { model });
    }
    if (kafkaExporterEnabled(spec)) new KafkaExporter(this, 'kafka-exporter', { model, podMonitor: operator });
    const dashboards = new DashboardConfigMaps(this, 'dashboards', { model });
    if (spec.monitoring.prometheus.deploy) {
      new BundledPrometheus(this, 'prometheus', { model });
      new BundledAlertmanager(this, 'alertmanager', { model });
    }
    if (spec.monitoring.grafana.deploy) new BundledGrafana(this, 'grafana', { model, dashboardConfigMaps: dashboards.names });
  }
}
