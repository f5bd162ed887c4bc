import { KAFKA_PATHS } from '../model/paths';
import { vmLogShipping } from '../spec/vm-runtime';
import { type AlertContext, type AlertDefinition, type AlertGroup, testSeries } from './alert-definition';
import { VM_CERTIFICATE_EXPIRY_METRIC, VM_CERTIFICATE_RENEWAL_FAILED_METRIC, VM_LOG_SHIPPING_FAILED_METRIC } from './node-exporter';
import { EXPORTERS, PER_NODE, TARGET_LABELS } from './target-labels';

/**
 * Alerts over what the runtime, not Kafka, measures: volumes (kubelet on Kubernetes, node_exporter on VMs),
 * certificates (cert-manager on Kubernetes, the VM bootstrap's textfile on VMs), containers (kube-state-metrics),
 * and one alert per such source when its metric family is absent, so an alert whose source is not scraped (the
 * bundled Prometheus scrapes none of them) is visibly blind instead of silently dead.
 */

const DISK_MOUNTS = [KAFKA_PATHS.dataDir, KAFKA_PATHS.metadataDir];

/** Whether any listener encrypts (certificates exist to expire). */
function usesTls(ctx: AlertContext): boolean {
  return ctx.model.listeners.some((listener) => listener.tls);
}

/** Disk alerts read the runtime's volume metrics: kubelet on Kubernetes, node_exporter on VMs. */
export function diskAlerts(ctx: AlertContext): AlertDefinition[] {
  const spec = ctx.model.spec;
  const percent = spec.monitoring.thresholds.diskUsagePercent;
  const usageSummary = `is more than ${percent}% full`;
  const usageDescription = 'Kafka stops a log directory when its disk is full: grow the volume, shorten retention, or add brokers.';
  if (spec.runtime.kind === 'kubernetes') {
    // kubelet series carry namespace and PVC, not our target labels: the namespace (Kafka's own) selects them.
    const ns = `namespace="${spec.runtime.namespace}"`;
    const pvc = { namespace: spec.runtime.namespace, persistentvolumeclaim: `data-${ctx.broker.name}` };
    const kubelet = (metric: string, values: string) => testSeries(metric, pvc, values);
    const halfFull = `kubelet_volume_stats_used_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}} > 0.5`;
    const fullWithin = (hours: number, window: string) =>
      `max by (namespace, persistentvolumeclaim) (predict_linear(kubelet_volume_stats_available_bytes{${ns}}[${window}], ${hours} * 3600) < 0 and ${halfFull})`;
    const filling = (availableValues: string, usedValues: string) => [
      kubelet('kubelet_volume_stats_available_bytes', availableValues),
      kubelet('kubelet_volume_stats_used_bytes', usedValues),
      kubelet('kubelet_volume_stats_capacity_bytes', '1000x70'),
    ];
    return [
      {
        alert: 'KafkaDiskUsageHigh',
        expr: `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}}) * 100 > ${percent}`,
        for: '15m',
        severity: 'warning',
        labels: ctx.clusterLabels,
        summary: `Volume {{ $labels.persistentvolumeclaim }} ${usageSummary}`,
        description: usageDescription,
        firing: { series: [kubelet('kubelet_volume_stats_used_bytes', '90x30'), kubelet('kubelet_volume_stats_capacity_bytes', '100x30')], evalTime: '20m', expect: [pvc] },
        quiet: { series: [kubelet('kubelet_volume_stats_used_bytes', '20x30'), kubelet('kubelet_volume_stats_capacity_bytes', '100x30')], evalTime: '20m', expect: [] },
      },
      {
        alert: 'KafkaDiskFullIn24Hours',
        expr: fullWithin(24, '6h'),
        for: '1h',
        severity: 'warning',
        labels: ctx.clusterLabels,
        summary: 'Volume {{ $labels.persistentvolumeclaim }} will be full within 24 hours at the current rate',
        description: 'Linear prediction over the last 6 hours; plan the growth now (KafkaDiskFullIn4Hours pages when it gets close).',
        // Slope -1/min and more than half full from the start: pending at 0, firing after 1h.
        firing: { series: filling('400-1x70', '600+1x70'), evalTime: '65m', expect: [pvc] },
        quiet: { series: filling('400x70', '600x70'), evalTime: '65m', expect: [] },
      },
      {
        alert: 'KafkaDiskFullIn4Hours',
        expr: fullWithin(4, '1h'),
        for: '15m',
        severity: 'critical',
        labels: ctx.clusterLabels,
        summary: 'Volume {{ $labels.persistentvolumeclaim }} will be full within 4 hours at the current rate',
        description: 'Linear prediction over the last hour; Kafka takes the log directory offline when it is full: act now.',
        firing: { series: filling('400-2x70', '600+2x70'), evalTime: '65m', expect: [pvc] },
        // Full in about 13 hours: the 24-hour warning's case, not this page.
        quiet: { series: filling('400-0.5x70', '600+0.5x70'), evalTime: '65m', expect: [] },
      },
    ];
  }
  // node_exporter on the VMs, scraped with our target labels; the mount points are Kafka's own volumes.
  const mounts = `mountpoint=~"${DISK_MOUNTS.join('|')}"`;
  const fs = { ...ctx.nodeLabels(ctx.broker), mountpoint: KAFKA_PATHS.dataDir };
  const nodeSeries = (metric: string, values: string) => testSeries(metric, { ...fs, [TARGET_LABELS.exporter]: EXPORTERS.node }, values);
  const byMount = `${PER_NODE}, mountpoint`;
  const S = ctx.S;
  const fullWithin = (hours: number, window: string) =>
    `max by (${byMount}) (predict_linear(node_filesystem_avail_bytes{${S},${mounts}}[${window}], ${hours} * 3600) < 0` +
    ` and node_filesystem_avail_bytes{${S},${mounts}} / node_filesystem_size_bytes{${S},${mounts}} < 0.5)`;
  const where = '{{ $labels.mountpoint }} on {{ $labels.role }} {{ $labels.node_id }}';
  return [
    {
      alert: 'KafkaDiskUsageHigh',
      expr: `max by (${byMount}) (1 - node_filesystem_avail_bytes{${S},${mounts}} / node_filesystem_size_bytes{${S},${mounts}}) * 100 > ${percent}`,
      for: '15m',
      severity: 'warning',
      summary: `${where} ${usageSummary}`,
      description: usageDescription,
      firing: { series: [nodeSeries('node_filesystem_avail_bytes', '10x30'), nodeSeries('node_filesystem_size_bytes', '100x30')], evalTime: '20m', expect: [fs] },
      quiet: { series: [nodeSeries('node_filesystem_avail_bytes', '80x30'), nodeSeries('node_filesystem_size_bytes', '100x30')], evalTime: '20m', expect: [] },
    },
    {
      alert: 'KafkaDiskFullIn24Hours',
      expr: fullWithin(24, '6h'),
      for: '1h',
      severity: 'warning',
      summary: `${where} will be full within 24 hours at the current rate`,
      description: 'Linear prediction over the last 6 hours; plan the growth now (KafkaDiskFullIn4Hours pages when it gets close).',
      firing: { series: [nodeSeries('node_filesystem_avail_bytes', '400-1x70'), nodeSeries('node_filesystem_size_bytes', '1000x70')], evalTime: '65m', expect: [fs] },
      quiet: { series: [nodeSeries('node_filesystem_avail_bytes', '400x70'), nodeSeries('node_filesystem_size_bytes', '1000x70')], evalTime: '65m', expect: [] },
    },
    {
      alert: 'KafkaDiskFullIn4Hours',
      expr: fullWithin(4, '1h'),
      for: '15m',
      severity: 'critical',
      summary: `${where} will be full within 4 hours at the current rate`,
      description: 'Linear prediction over the last hour; Kafka takes the log directory offline when it is full: act now.',
      firing: { series: [nodeSeries('node_filesystem_avail_bytes', '400-2x70'), nodeSeries('node_filesystem_size_bytes', '1000x70')], evalTime: '65m', expect: [fs] },
      quiet: { series: [nodeSeries('node_filesystem_avail_bytes', '400-0.5x70'), nodeSeries('node_filesystem_size_bytes', '1000x70')], evalTime: '65m', expect: [] },
    },
  ];
}

/** Certificate alerts: cert-manager's view on Kubernetes, the VM bootstrap's textfile on VMs; only with a TLS listener. */
export function certificateAlerts(ctx: AlertContext): AlertDefinition[] {
  const spec = ctx.model.spec;
  if (!usesTls(ctx)) return [];
  const days = spec.monitoring.thresholds.certificateExpiryDays;
  if (spec.runtime.kind !== 'kubernetes') {
    const labels = ctx.nodeLabels(ctx.broker);
    const cert = (values: string) => testSeries(VM_CERTIFICATE_EXPIRY_METRIC, { ...labels, [TARGET_LABELS.exporter]: EXPORTERS.node }, values);
    const renewal = (values: string) => testSeries(VM_CERTIFICATE_RENEWAL_FAILED_METRIC, { ...labels, [TARGET_LABELS.exporter]: EXPORTERS.node }, values);
    return [
      {
        alert: 'KafkaVmCertificateExpiringSoon',
        expr: `min by (${PER_NODE}) (${VM_CERTIFICATE_EXPIRY_METRIC}{${ctx.S}}) - time() < ${days} * 86400`,
        for: '1h',
        severity: 'warning',
        summary: `The TLS certificate of ${ctx.nodeTemplate} expires in less than ${days} days`,
        description: 'VM nodes issue their certificate at boot and renew it only at a restart: roll this node (or replace the instance) before the certificate expires, or its peers and clients reject it.',
        firing: { series: [cert('1000000x70')], evalTime: '65m', expect: [labels] },
        quiet: { series: [cert('100000000x70')], evalTime: '65m', expect: [] },
      },
      {
        alert: 'KafkaVmCertificateRenewalFailed',
        expr: `max by (${PER_NODE}) (${VM_CERTIFICATE_RENEWAL_FAILED_METRIC}{${ctx.S}}) == 1`,
        for: '5m',
        severity: 'warning',
        summary: `Renewing the TLS certificate of ${ctx.nodeTemplate} failed at its last start`,
        description: 'The node started with its current, still valid certificate. Fix what the renewal needs (the CA secret or Private CA permissions, openssl) before that certificate expires; journalctl -u kafka shows the kafka-tls step.',
        firing: { series: [renewal('1x10')], evalTime: '8m', expect: [labels] },
        quiet: { series: [renewal('0x10')], evalTime: '8m', expect: [] },
      },
    ];
  }
  const ns = `namespace="${spec.runtime.namespace}"`;
  const certificate = { namespace: spec.runtime.namespace, name: `${spec.kafka.clusterName}-broker` };
  const certSeries = (metric: string, values: string, extra: Record<string, string> = {}) => testSeries(metric, { ...certificate, ...extra }, values);
  return [
    {
      alert: 'KafkaCertificateExpiringSoon',
      expr: `min by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds{${ns}}) - time() < ${days} * 86400`,
      for: '1h',
      severity: 'warning',
      labels: ctx.clusterLabels,
      summary: `Certificate {{ $labels.name }} expires in less than ${days} days`,
      description: 'cert-manager renews certificates well before expiry; one this close to expiry means renewal is failing. Kafka also needs a restart or a dynamic config update to load a renewed certificate.',
      firing: { series: [certSeries('certmanager_certificate_expiration_timestamp_seconds', '1000000x70')], evalTime: '65m', expect: [certificate] },
      quiet: { series: [certSeries('certmanager_certificate_expiration_timestamp_seconds', '100000000x70')], evalTime: '65m', expect: [] },
    },
    {
      alert: 'KafkaCertificateNotReady',
      expr: `max by (namespace, name) (certmanager_certificate_ready_status{${ns},condition="False"}) == 1`,
      for: '15m',
      severity: 'warning',
      labels: ctx.clusterLabels,
      summary: 'Certificate {{ $labels.name }} is not ready',
      description: 'cert-manager cannot issue or renew this certificate; see `kubectl describe certificate`.',
      firing: { series: [certSeries('certmanager_certificate_ready_status', '1x30', { condition: 'False' })], evalTime: '20m', expect: [certificate] },
      quiet: { series: [certSeries('certmanager_certificate_ready_status', '0x30', { condition: 'False' })], evalTime: '20m', expect: [] },
    },
  ];
}

/** VM nodes whose CloudWatch agent did not start at boot (they run Kafka, but their logs are not shipped). */
export function logShippingAlerts(ctx: AlertContext): AlertDefinition[] {
  const spec = ctx.model.spec;
  if (spec.runtime.kind !== 'vm' || !vmLogShipping(spec.runtime, spec.tier).enabled) return [];
  const labels = ctx.nodeLabels(ctx.broker);
  const failed = (values: string) => testSeries(VM_LOG_SHIPPING_FAILED_METRIC, { ...labels, [TARGET_LABELS.exporter]: EXPORTERS.node }, values);
  return [
    {
      alert: 'KafkaVmLogShippingFailed',
      expr: `max by (${PER_NODE}) (${VM_LOG_SHIPPING_FAILED_METRIC}{${ctx.S}}) == 1`,
      for: '5m',
      severity: 'warning',
      summary: `The CloudWatch agent of ${ctx.nodeTemplate} did not start: its logs are not shipped`,
      description: 'Kafka started without it (shipping is not worth an outage), so the node works but its logs exist only on its root volume. The boot log (/var/log/cloud-init-output.log) shows the kafka-log-shipping step.',
      firing: { series: [failed('1x10')], evalTime: '8m', expect: [labels] },
      quiet: { series: [failed('0x10')], evalTime: '8m', expect: [] },
    },
  ];
}

/** Restarts and crash loops of the containers in Kafka's namespace (kube-state-metrics); Kubernetes only. */
export function containerAlerts(ctx: AlertContext): AlertDefinition[] {
  const spec = ctx.model.spec;
  if (spec.runtime.kind !== 'kubernetes') return [];
  const ns = `namespace="${spec.runtime.namespace}"`;
  const container = { namespace: spec.runtime.namespace, pod: ctx.broker.name, container: 'kafka' };
  const ksm = (metric: string, values: string, extra: Record<string, string> = {}) => testSeries(metric, { ...container, ...extra }, values);
  return [
    {
      alert: 'KafkaContainerRestarting',
      expr: `max by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${ns}}[1h])) > 2`,
      for: '0m',
      severity: 'warning',
      labels: ctx.clusterLabels,
      summary: 'Container {{ $labels.container }} of pod {{ $labels.pod }} restarted more than twice in an hour',
      description: 'A Kafka (or exporter) container keeps restarting: out of memory, failed probes or a crash at start. Each broker restart shrinks ISRs and moves leaders.',
      firing: { series: [ksm('kube_pod_container_status_restarts_total', '0+1x70')], evalTime: '65m', expect: [container] },
      quiet: { series: [ksm('kube_pod_container_status_restarts_total', '1x70')], evalTime: '65m', expect: [] },
    },
    {
      alert: 'KafkaContainerCrashLooping',
      expr: `max by (namespace, pod, container) (kube_pod_container_status_waiting_reason{${ns},reason="CrashLoopBackOff"}) == 1`,
      for: '5m',
      severity: 'warning',
      labels: ctx.clusterLabels,
      summary: 'Container {{ $labels.container }} of pod {{ $labels.pod }} is in CrashLoopBackOff',
      description: 'Kubernetes backs off restarting a container that keeps failing; the node stays down until the cause is fixed.',
      firing: { series: [ksm('kube_pod_container_status_waiting_reason', '1x30', { reason: 'CrashLoopBackOff' })], evalTime: '15m', expect: [container] },
      quiet: { series: [ksm('kube_pod_container_status_waiting_reason', '0x30', { reason: 'CrashLoopBackOff' })], evalTime: '15m', expect: [] },
    },
  ];
}

/**
 * One alert per runtime source the generated alerts read, firing when its metric family is absent for an hour. The
 * bundled Prometheus scrapes only the Kafka pods (and kafka-exporter), so with it these fire until you add the
 * sources to a Prometheus that evaluates these rules: that is the point, a blind alert must be visible.
 */
export function metricSourceAlerts(ctx: AlertContext): AlertDefinition[] {
  const spec = ctx.model.spec;
  /** `labels`: what absent() returns (the selector's equality matchers); `present`: further labels a real series has. */
  const absent = (alert: string, family: string, selector: string, labels: Record<string, string>, source: string, blind: string, present: Record<string, string> = {}): AlertDefinition => ({
    alert,
    expr: `absent(${family}{${selector}})`,
    for: '1h',
    severity: 'warning',
    ...(spec.runtime.kind === 'kubernetes' ? { labels: ctx.clusterLabels } : {}),
    summary: `No ${family} series for ${spec.name}${spec.runtime.kind === 'kubernetes' ? ' (namespace {{ $labels.namespace }})' : ''}: ${source} is not scraped`,
    description: `${blind} are blind without ${source}. ${spec.runtime.kind === 'kubernetes' ? 'The bundled Prometheus does not scrape it: evaluate these rules in a Prometheus that does (kube-prometheus-stack does), or accept the gap.' : 'Install and scrape node_exporter on every node (prometheus-scrape.yaml).'}`,
    // The family exists, but only for another namespace or environment: still absent for this cluster.
    firing: { series: [testSeries(family, { ...labels, ...present, [Object.keys(labels)[0]]: 'elsewhere' }, '1x70')], evalTime: '65m', expect: [labels] },
    quiet: { series: [testSeries(family, { ...labels, ...present }, '1x70')], evalTime: '65m', expect: [] },
  });
  if (spec.runtime.kind === 'kubernetes') {
    const namespace = spec.runtime.namespace;
    const ns = `namespace="${namespace}"`;
    const alerts = [
      absent('KafkaKubeletVolumeStatsAbsent', 'kubelet_volume_stats_capacity_bytes', ns, { namespace }, 'the kubelet', 'The disk alerts (KafkaDiskUsageHigh, KafkaDiskFull*)'),
      absent('KafkaKubeStateMetricsAbsent', 'kube_pod_container_status_restarts_total', ns, { namespace }, 'kube-state-metrics', 'The container alerts (KafkaContainerRestarting, KafkaContainerCrashLooping)'),
    ];
    if (usesTls(ctx)) {
      alerts.push(absent('KafkaCertManagerMetricsAbsent', 'certmanager_certificate_expiration_timestamp_seconds', ns, { namespace }, 'cert-manager', 'The certificate alerts (KafkaCertificateExpiringSoon, KafkaCertificateNotReady)'));
    }
    return alerts;
  }
  const S = ctx.S;
  const node = ctx.nodeLabels(ctx.broker);
  const alerts: AlertDefinition[] = [
    {
      alert: 'KafkaNodeExporterDown',
      expr: `max by (${PER_NODE}) (up{${S},${TARGET_LABELS.exporter}="${EXPORTERS.node}"}) == 0`,
      for: '10m',
      severity: 'warning',
      summary: `node_exporter on ${ctx.nodeTemplate} is down or cannot be scraped`,
      description: 'The disk and certificate alerts of this node are blind: check the node_exporter service and that the monitoring security group admits its port.',
      firing: { series: [ctx.up(ctx.broker, '0x30', EXPORTERS.node), ctx.up(ctx.broker, '1x30')], evalTime: '15m', expect: [node] },
      quiet: { series: [ctx.up(ctx.broker, '1x30', EXPORTERS.node), ctx.up(ctx.broker, '0x30')], evalTime: '15m', expect: [] },
    },
    absent('KafkaNodeExporterMetricsAbsent', 'node_filesystem_avail_bytes', `${S},mountpoint=~"${DISK_MOUNTS.join('|')}"`, ctx.clusterLabels, 'node_exporter', 'The disk alerts (KafkaDiskUsageHigh, KafkaDiskFull*)', { mountpoint: KAFKA_PATHS.dataDir }),
  ];
  if (usesTls(ctx)) {
    alerts.push(absent('KafkaVmCertificateMetricsAbsent', VM_CERTIFICATE_EXPIRY_METRIC, S, ctx.clusterLabels, "node_exporter's textfile collector", 'The VM certificate alert (KafkaVmCertificateExpiringSoon)'));
  }
  return alerts;
}

/** The runtime-dependent groups, empty ones left out. */
export function runtimeAlertGroups(ctx: AlertContext): AlertGroup[] {
  const groups: AlertGroup[] = [
    { name: 'kafka-certificates', alerts: certificateAlerts(ctx) },
    { name: 'kafka-containers', alerts: containerAlerts(ctx) },
    { name: 'kafka-log-shipping', alerts: logShippingAlerts(ctx) },
    { name: 'kafka-metric-sources', alerts: metricSourceAlerts(ctx) },
  ];
  return groups.filter((group) => group.alerts.length > 0);
}
