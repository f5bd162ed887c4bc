import type { ClusterModel } from '../model/cluster-model';
import { KAFKA_PATHS } from '../model/paths';
import type { KafkaNode } from '../model/topology';
import type { AlertSeverity } from '../spec/monitoring';
import { METRICS } from './metric-catalogue';
import { KAFKA_EXPORTER_ROLE, PER_CLUSTER, PER_NODE, clusterMatchers } from './target-labels';

/** Input series of a promtool unit test: `series` in PromQL selector syntax, `values` in promtool's expanding notation. */
export interface TestSeries {
  readonly series: string;
  readonly values: string;
}

/** An input series of a promtool unit test: `metric{label="value",...}` with its expanding values. */
function testSeries(metric: string, labels: Record<string, string>, values: string): TestSeries {
  return { series: `${metric}{${Object.entries(labels).map(([key, value]) => `${key}="${value}"`).join(',')}}`, values };
}

/** One evaluation of one alert in a promtool unit test. */
export interface AlertTestCase {
  readonly series: readonly TestSeries[];
  /** When to evaluate, e.g. `15m` (series start at 0 and are sampled every minute). */
  readonly evalTime: string;
  /** The labels of each alert expected to fire (severity and rule labels are added); empty = nothing fires. */
  readonly expect: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** A generated alert, with the two unit tests that prove it fires when it should and only then. */
export interface AlertDefinition {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: AlertSeverity;
  /** Labels added to every alert of this rule (e.g. environment on alerts over kubelet series). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** One line; may use `{{ $labels.<name> }}` only (the unit tests expand it to compare). */
  readonly summary: string;
  readonly description: string;
  readonly firing: AlertTestCase;
  readonly quiet: AlertTestCase;
}

/** A named group of the rule file. */
export interface AlertGroup {
  readonly name: string;
  readonly alerts: readonly AlertDefinition[];
}

/** Anchor of an alert's runbook section in docs/monitoring.md (GitHub's heading anchor: lower case). */
export function runbookAnchor(alert: string): string {
  return `docs/monitoring.md#${alert.toLowerCase()}`;
}

const DISK_MOUNTS = [KAFKA_PATHS.dataDir, KAFKA_PATHS.metadataDir];

/** Every generated alert of a cluster, grouped by what it watches. Thresholds come from `monitoring.thresholds`. */
export function alertGroups(model: ClusterModel): AlertGroup[] {
  const spec = model.spec;
  const t = spec.monitoring.thresholds;
  const S = clusterMatchers(spec);
  const broker = model.brokers[0];
  const controller = model.controllers[0];
  const nodeLabels = (node: KafkaNode) => ({
    environment: spec.name,
    cluster: spec.kafka.clusterName,
    role: node.role,
    zone: node.zone,
    node_id: String(node.nodeId),
  });
  const clusterLabels = { environment: spec.name, cluster: spec.kafka.clusterName };
  const series = testSeries;
  const onNode = (metric: string, node: KafkaNode, values: string, extra: Record<string, string> = {}) =>
    series(metric, { ...nodeLabels(node), ...extra }, values);
  const perNodeGauge = (
    alert: string,
    metric: string,
    node: KafkaNode,
    comparison: string,
    bad: string,
    good: string,
    rest: Pick<AlertDefinition, 'for' | 'severity' | 'summary' | 'description'>,
    evalTime = '20m',
  ): AlertDefinition => ({
    alert,
    expr: `max by (${PER_NODE}) (${metric}{${S}}) ${comparison}`,
    ...rest,
    firing: { series: [onNode(metric, node, bad)], evalTime, expect: [nodeLabels(node)] },
    quiet: { series: [onNode(metric, node, good)], evalTime, expect: [] },
  });
  const node = '{{ $labels.role }} {{ $labels.node_id }} (zone {{ $labels.zone }})';

  const replication: AlertDefinition[] = [
    perNodeGauge('KafkaUnderReplicatedPartitions', METRICS.underReplicatedPartitions.name, broker, '> 0', '3x30', '0x30', {
      for: '10m',
      severity: 'warning',
      summary: `${node} leads under-replicated partitions`,
      description: 'Some partitions led by this broker have fewer in-sync replicas than replicas; one more failure may make them unavailable.',
    }),
    perNodeGauge('KafkaUnderMinIsrPartitions', METRICS.underMinIsrPartitions.name, broker, '> 0', '1x30', '0x30', {
      for: '1m',
      severity: 'critical',
      summary: `${node} leads partitions below min.insync.replicas`,
      description: 'Producers with acks=all get NOT_ENOUGH_REPLICAS for these partitions: writes are failing.',
    }),
    {
      alert: 'KafkaOfflinePartitions',
      expr: `max by (${PER_CLUSTER}) (${METRICS.offlinePartitions.name}{${S}}) > 0`,
      for: '1m',
      severity: 'critical',
      summary: 'Cluster {{ $labels.cluster }} in {{ $labels.environment }} has partitions without a leader',
      description: 'Offline partitions accept neither reads nor writes until a replica comes back.',
      firing: { series: [onNode(METRICS.offlinePartitions.name, controller, '2x30')], evalTime: '10m', expect: [clusterLabels] },
      quiet: { series: [onNode(METRICS.offlinePartitions.name, controller, '0x30')], evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaIsrShrinking',
      expr: `sum by (${PER_NODE}) (rate(${METRICS.isrShrinks.name}{${S}}[5m])) > 0`,
      for: '15m',
      severity: 'warning',
      summary: `ISRs keep shrinking on ${node}`,
      description: 'Followers keep falling out of sync for 15 minutes: a slow or overloaded broker, disk or network.',
      firing: { series: [onNode(METRICS.isrShrinks.name, broker, '0+1x40')], evalTime: '20m', expect: [nodeLabels(broker)] },
      quiet: { series: [onNode(METRICS.isrShrinks.name, broker, '5x40')], evalTime: '20m', expect: [] },
    },
    {
      alert: 'KafkaUncleanLeaderElection',
      expr: `sum by (${PER_CLUSTER}) (increase(${METRICS.uncleanLeaderElections.name}{${S}}[5m])) > 0`,
      for: '0m',
      severity: 'critical',
      summary: 'Unclean leader election in cluster {{ $labels.cluster }} ({{ $labels.environment }})',
      description: 'An out-of-sync replica became leader: acknowledged messages were lost.',
      firing: { series: [onNode(METRICS.uncleanLeaderElections.name, controller, '0x5 1x10')], evalTime: '7m', expect: [clusterLabels] },
      quiet: { series: [onNode(METRICS.uncleanLeaderElections.name, controller, '0x15')], evalTime: '7m', expect: [] },
    },
  ];

  const activeSeries = (activeIndex: number) =>
    model.controllers.map((node, index) => onNode(METRICS.activeControllers.name, node, index === activeIndex ? '1x15' : '0x15'));
  const quorum: AlertDefinition[] = [
    {
      alert: 'KafkaActiveControllerCountNotOne',
      expr: `sum by (${PER_CLUSTER}) (${METRICS.activeControllers.name}{${S}}) != 1`,
      for: '1m',
      severity: 'critical',
      summary: 'Cluster {{ $labels.cluster }} ({{ $labels.environment }}) does not have exactly one active controller',
      description: 'With no active controller no metadata change (leader election, topic creation, ISR change) happens.',
      firing: { series: activeSeries(-1), evalTime: '10m', expect: [clusterLabels] },
      quiet: { series: activeSeries(0), evalTime: '10m', expect: [] },
    },
    perNodeGauge('KafkaNoQuorumLeader', METRICS.raftLeader.name, controller, '< 0', '-1x30', '0x30', {
      for: '1m',
      severity: 'critical',
      summary: `${node} knows no KRaft quorum leader`,
      description: 'The node cannot reach a quorum leader: metadata is frozen for it, and a controller-side cause means no leader election can complete.',
    }),
    {
      alert: 'KafkaMetadataLogStalled',
      expr: `max by (${PER_NODE}) (changes(${METRICS.raftHighWatermark.name}{${S}}[5m])) == 0`,
      for: '5m',
      severity: 'critical',
      summary: `The metadata log high watermark stopped advancing on ${node}`,
      description: 'The leader appends a no-op record at least every metadata.max.idle.interval.ms (KIP-835), so a high watermark that does not move means this node is not fetching from the quorum or the quorum is not committing.',
      firing: { series: [onNode(METRICS.raftHighWatermark.name, controller, '100x30')], evalTime: '20m', expect: [nodeLabels(controller)] },
      quiet: { series: [onNode(METRICS.raftHighWatermark.name, controller, '100+10x30')], evalTime: '20m', expect: [] },
    },
    {
      alert: 'KafkaMetadataLagHigh',
      expr:
        `max by (${PER_NODE}) (${METRICS.brokerMetadataLag.name}{${S}}) > 30000` +
        ` or max by (${PER_NODE}) (${METRICS.controllerMetadataLag.name}{${S}}) > 30000`,
      for: '5m',
      severity: 'warning',
      summary: `${node} applies cluster metadata more than 30 s late`,
      description: 'The node serves stale metadata (leaders, ISRs, ACLs) while its last applied metadata record keeps ageing.',
      firing: { series: [onNode(METRICS.brokerMetadataLag.name, broker, '60000+60000x30')], evalTime: '15m', expect: [nodeLabels(broker)] },
      quiet: { series: [onNode(METRICS.brokerMetadataLag.name, broker, '200x30')], evalTime: '15m', expect: [] },
    },
    {
      alert: 'KafkaFencedBrokers',
      expr: `max by (${PER_CLUSTER}) (${METRICS.fencedBrokers.name}{${S}}) > 0`,
      for: '5m',
      severity: 'warning',
      summary: 'Cluster {{ $labels.cluster }} ({{ $labels.environment }}) has fenced brokers',
      description: 'A registered broker stopped heartbeating or has not caught up with the metadata log; it serves no partitions.',
      firing: { series: [onNode(METRICS.fencedBrokers.name, controller, '1x30')], evalTime: '15m', expect: [clusterLabels] },
      quiet: { series: [onNode(METRICS.fencedBrokers.name, controller, '0x30')], evalTime: '15m', expect: [] },
    },
  ];

  const upSeries = (nodes: readonly KafkaNode[], downIndex: number) =>
    nodes.map((node, index) => onNode('up', node, index === downIndex ? '0x15' : '1x15'));
  const availability: AlertDefinition[] = [
    {
      alert: 'KafkaNodeDown',
      expr: `max by (${PER_NODE}) (up{${S},role=~"broker|controller"}) == 0`,
      for: '3m',
      severity: 'critical',
      summary: `${node} is down or cannot be scraped`,
      description: 'Prometheus cannot scrape the node\'s JMX exporter: the JVM is down, restarting, or unreachable.',
      firing: { series: upSeries([broker], 0), evalTime: '10m', expect: [nodeLabels(broker)] },
      quiet: { series: upSeries([broker], -1), evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaBrokersMissing',
      expr: `sum by (${PER_CLUSTER}) (up{${S},role="broker"}) < ${model.brokers.length}`,
      for: '5m',
      severity: 'critical',
      summary: `Fewer than ${model.brokers.length} brokers of {{ $labels.cluster }} ({{ $labels.environment }}) are up`,
      description: `The cluster is declared with ${model.brokers.length} brokers; some are down, not scheduled, or not scraped.`,
      firing: { series: upSeries(model.brokers, 0), evalTime: '10m', expect: [clusterLabels] },
      quiet: { series: upSeries(model.brokers, -1), evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaControllersMissing',
      expr: `sum by (${PER_CLUSTER}) (up{${S},role="controller"}) < ${model.controllers.length}`,
      for: '5m',
      severity: model.controllers.length > 1 ? 'warning' : 'critical',
      summary: `Fewer than ${model.controllers.length} controllers of {{ $labels.cluster }} ({{ $labels.environment }}) are up`,
      description: `The quorum has ${model.controllers.length} voters and needs ${Math.floor(model.controllers.length / 2) + 1}; each missing voter removes fault tolerance.`,
      firing: { series: upSeries(model.controllers, 0), evalTime: '10m', expect: [clusterLabels] },
      quiet: { series: upSeries(model.controllers, -1), evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaScrapeTargetsAbsent',
      expr: `absent(up{${S},role="broker"}) or absent(up{${S},role="controller"})`,
      for: '10m',
      severity: 'critical',
      summary: 'No {{ $labels.role }} of {{ $labels.cluster }} ({{ $labels.environment }}) is a scrape target',
      description: 'Every other alert of this role is blind: the PodMonitor/scrape config does not select the pods, or the pods are gone.',
      firing: { series: upSeries(model.controllers, -1), evalTime: '15m', expect: [{ ...clusterLabels, role: 'broker' }] },
      quiet: { series: [...upSeries(model.controllers, -1), ...upSeries(model.brokers, -1)], evalTime: '15m', expect: [] },
    },
  ];

  const saturation: AlertDefinition[] = [
    {
      alert: 'KafkaRequestHandlerIdleLow',
      expr: `avg by (${PER_NODE}) (rate(${METRICS.requestHandlerIdle.name}{${S}}[5m])) < ${t.minIdleRatio}`,
      for: '15m',
      severity: 'warning',
      summary: `Request handler threads of ${node} are busy more than ${Math.round((1 - t.minIdleRatio) * 100)}% of the time`,
      description: 'Requests queue up behind saturated I/O threads: latency rises for every client of this node.',
      firing: { series: [onNode(METRICS.requestHandlerIdle.name, broker, '0+6x40')], evalTime: '20m', expect: [nodeLabels(broker)] },
      quiet: { series: [onNode(METRICS.requestHandlerIdle.name, broker, '0+48x40')], evalTime: '20m', expect: [] },
    },
    perNodeGauge('KafkaNetworkProcessorIdleLow', METRICS.networkProcessorIdle.name, broker, `< ${t.minIdleRatio}`, '0.1x40', '0.8x40', {
      for: '15m',
      severity: 'warning',
      summary: `Network threads of ${node} are busy more than ${Math.round((1 - t.minIdleRatio) * 100)}% of the time`,
      description: 'Connections are served late: add network threads (num.network.threads) or spread load.',
    }, '20m'),
    {
      alert: 'KafkaJvmHeapPressure',
      expr: `max by (${PER_NODE}) (jvm_memory_used_bytes{${S},area="heap"} / jvm_memory_max_bytes{${S},area="heap"}) * 100 > ${t.heapUsagePercent}`,
      for: '15m',
      severity: 'warning',
      summary: `Heap of ${node} is above ${t.heapUsagePercent}% for 15 minutes`,
      description: 'The JVM is close to its heap limit; long GC pauses and OutOfMemoryError follow.',
      firing: {
        series: [onNode('jvm_memory_used_bytes', broker, '95x30', { area: 'heap' }), onNode('jvm_memory_max_bytes', broker, '100x30', { area: 'heap' })],
        evalTime: '20m',
        expect: [nodeLabels(broker)],
      },
      quiet: {
        series: [onNode('jvm_memory_used_bytes', broker, '40x30', { area: 'heap' }), onNode('jvm_memory_max_bytes', broker, '100x30', { area: 'heap' })],
        evalTime: '20m',
        expect: [],
      },
    },
    {
      alert: 'KafkaJvmGcPressure',
      expr: `sum by (${PER_NODE}) (rate(jvm_gc_collection_seconds_sum{${S}}[5m])) > 0.1`,
      for: '15m',
      severity: 'warning',
      summary: `${node} spends more than 10% of its time in garbage collection`,
      description: 'GC pauses stall request handling and can push the node out of ISRs or make it miss heartbeats.',
      firing: { series: [onNode('jvm_gc_collection_seconds_sum', broker, '0+12x40', { gc: 'G1 Young Generation' })], evalTime: '20m', expect: [nodeLabels(broker)] },
      quiet: { series: [onNode('jvm_gc_collection_seconds_sum', broker, '0+1x40', { gc: 'G1 Young Generation' })], evalTime: '20m', expect: [] },
    },
  ];

  const storage: AlertDefinition[] = [
    perNodeGauge('KafkaOfflineLogDirectories', METRICS.offlineLogDirectories.name, broker, '> 0', '1x30', '0x30', {
      for: '1m',
      severity: 'critical',
      summary: `${node} has offline log directories`,
      description: 'A disk failed or filled up; the replicas on it are offline until the directory is repaired.',
    }),
    ...diskAlerts(model, S, t.diskUsagePercent, broker, nodeLabels(broker)),
  ];

  const groups: AlertGroup[] = [
    { name: 'kafka-replication', alerts: replication },
    { name: 'kafka-quorum', alerts: quorum },
    { name: 'kafka-availability', alerts: availability },
    { name: 'kafka-saturation', alerts: saturation },
    { name: 'kafka-storage', alerts: storage },
  ];
  const certificates = certificateAlerts(model);
  if (certificates.length > 0) groups.push({ name: 'kafka-certificates', alerts: certificates });
  if (spec.monitoring.kafkaExporter.enabled) groups.push({ name: 'kafka-consumer-lag', alerts: consumerLagAlerts(model) });
  return groups;
}

/** Disk alerts read the runtime's volume metrics: kubelet on Kubernetes, node_exporter on VMs. */
function diskAlerts(model: ClusterModel, S: string, percent: number, broker: KafkaNode, brokerLabels: Record<string, string>): AlertDefinition[] {
  const spec = model.spec;
  const usageSummary = `is more than ${percent}% full`;
  if (spec.runtime.kind === 'kubernetes') {
    // kubelet series carry namespace and PVC, not our target labels: the namespace (Kafka's own) selects them.
    const ns = `namespace="${spec.runtime.namespace}"`;
    const labels = { environment: spec.name, cluster: spec.kafka.clusterName };
    const pvc = { namespace: spec.runtime.namespace, persistentvolumeclaim: `data-${broker.name}` };
    const kubelet = (metric: string, values: string) => testSeries(metric, pvc, values);
    return [
      {
        alert: 'KafkaDiskUsageHigh',
        expr: `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}}) * 100 > ${percent}`,
        for: '15m',
        severity: 'warning',
        labels,
        summary: `Volume {{ $labels.persistentvolumeclaim }} ${usageSummary}`,
        description: 'Kafka stops a log directory when its disk is full: grow the volume, shorten retention, or add brokers.',
        firing: { series: [kubelet('kubelet_volume_stats_used_bytes', '90x30'), kubelet('kubelet_volume_stats_capacity_bytes', '100x30')], evalTime: '20m', expect: [pvc] },
        quiet: { series: [kubelet('kubelet_volume_stats_used_bytes', '20x30'), kubelet('kubelet_volume_stats_capacity_bytes', '100x30')], evalTime: '20m', expect: [] },
      },
      {
        alert: 'KafkaDiskFullIn24Hours',
        expr:
          `max by (namespace, persistentvolumeclaim) (predict_linear(kubelet_volume_stats_available_bytes{${ns}}[6h], 24 * 3600) < 0` +
          ` and kubelet_volume_stats_used_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}} > 0.5)`,
        for: '1h',
        severity: 'critical',
        labels,
        summary: 'Volume {{ $labels.persistentvolumeclaim }} will be full within 24 hours at the current rate',
        description: 'Linear prediction over the last 6 hours; act before Kafka takes the log directory offline.',
        // Predicted empty (slope -1/min) and more than half full from the start: pending at 0, firing after 1h.
        firing: {
          series: [
            kubelet('kubelet_volume_stats_available_bytes', '400-1x70'),
            kubelet('kubelet_volume_stats_used_bytes', '600+1x70'),
            kubelet('kubelet_volume_stats_capacity_bytes', '1000x70'),
          ],
          evalTime: '65m',
          expect: [pvc],
        },
        quiet: {
          series: [
            kubelet('kubelet_volume_stats_available_bytes', '400x70'),
            kubelet('kubelet_volume_stats_used_bytes', '600x70'),
            kubelet('kubelet_volume_stats_capacity_bytes', '1000x70'),
          ],
          evalTime: '65m',
          expect: [],
        },
      },
    ];
  }
  // node_exporter on the VMs, scraped with our target labels; the mount points are Kafka's own volumes.
  const mounts = `mountpoint=~"${DISK_MOUNTS.join('|')}"`;
  const fs = { ...brokerLabels, mountpoint: KAFKA_PATHS.dataDir };
  const nodeSeries = (metric: string, values: string) => testSeries(metric, fs, values);
  const byMount = `${PER_NODE}, mountpoint`;
  return [
    {
      alert: 'KafkaDiskUsageHigh',
      expr: `max by (${byMount}) (1 - node_filesystem_avail_bytes{${S},${mounts}} / node_filesystem_size_bytes{${S},${mounts}}) * 100 > ${percent}`,
      for: '15m',
      severity: 'warning',
      summary: `{{ $labels.mountpoint }} on {{ $labels.role }} {{ $labels.node_id }} ${usageSummary}`,
      description: 'Kafka stops a log directory when its disk is full: grow the volume, shorten retention, or add brokers.',
      firing: { series: [nodeSeries('node_filesystem_avail_bytes', '10x30'), nodeSeries('node_filesystem_size_bytes', '100x30')], evalTime: '20m', expect: [fs] },
      quiet: { series: [nodeSeries('node_filesystem_avail_bytes', '80x30'), nodeSeries('node_filesystem_size_bytes', '100x30')], evalTime: '20m', expect: [] },
    },
    {
      alert: 'KafkaDiskFullIn24Hours',
      expr:
        `max by (${byMount}) (predict_linear(node_filesystem_avail_bytes{${S},${mounts}}[6h], 24 * 3600) < 0` +
        ` and node_filesystem_avail_bytes{${S},${mounts}} / node_filesystem_size_bytes{${S},${mounts}} < 0.5)`,
      for: '1h',
      severity: 'critical',
      summary: '{{ $labels.mountpoint }} on {{ $labels.role }} {{ $labels.node_id }} will be full within 24 hours at the current rate',
      description: 'Linear prediction over the last 6 hours; act before Kafka takes the log directory offline.',
      firing: { series: [nodeSeries('node_filesystem_avail_bytes', '400-1x70'), nodeSeries('node_filesystem_size_bytes', '1000x70')], evalTime: '65m', expect: [fs] },
      quiet: { series: [nodeSeries('node_filesystem_avail_bytes', '400x70'), nodeSeries('node_filesystem_size_bytes', '1000x70')], evalTime: '65m', expect: [] },
    },
  ];
}

/** cert-manager's view of the cluster's certificates; only on Kubernetes with at least one TLS listener. */
function certificateAlerts(model: ClusterModel): AlertDefinition[] {
  const spec = model.spec;
  if (spec.runtime.kind !== 'kubernetes' || !model.listeners.some((listener) => listener.tls)) return [];
  const ns = `namespace="${spec.runtime.namespace}"`;
  const days = spec.monitoring.thresholds.certificateExpiryDays;
  const certificate = { namespace: spec.runtime.namespace, name: `${spec.kafka.clusterName}-broker` };
  const labels = { environment: spec.name, cluster: spec.kafka.clusterName };
  const certSeries = (metric: string, values: string, extra: Record<string, string> = {}) => testSeries(metric, { ...certificate, ...extra }, values);
  return [
    {
      alert: 'KafkaCertificateExpiringSoon',
      expr: `min by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds{${ns}}) - time() < ${days} * 86400`,
      for: '1h',
      severity: 'warning',
      labels,
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
      labels,
      summary: 'Certificate {{ $labels.name }} is not ready',
      description: 'cert-manager cannot issue or renew this certificate; see `kubectl describe certificate`.',
      firing: { series: [certSeries('certmanager_certificate_ready_status', '1x30', { condition: 'False' })], evalTime: '20m', expect: [certificate] },
      quiet: { series: [certSeries('certmanager_certificate_ready_status', '0x30', { condition: 'False' })], evalTime: '20m', expect: [] },
    },
  ];
}

function consumerLagAlerts(model: ClusterModel): AlertDefinition[] {
  const spec = model.spec;
  const S = clusterMatchers(spec);
  const limit = spec.monitoring.thresholds.consumerLagMessages;
  const group = { environment: spec.name, cluster: spec.kafka.clusterName, consumergroup: 'orders-service', topic: 'orders' };
  const lag = (values: string) => testSeries('kafka_consumergroup_lag', { ...group, role: KAFKA_EXPORTER_ROLE, partition: '0' }, values);
  const exporterUp = (values: string) => ({
    series: `up{environment="${spec.name}",cluster="${spec.kafka.clusterName}",role="${KAFKA_EXPORTER_ROLE}"}`,
    values,
  });
  const by = `${PER_CLUSTER}, consumergroup, topic`;
  return [
    {
      alert: 'KafkaConsumerLagGrowing',
      expr:
        `sum by (${by}) (kafka_consumergroup_lag{${S}}) > ${limit}` +
        ` and sum by (${by}) (deriv(kafka_consumergroup_lag{${S}}[15m])) > 0`,
      for: '15m',
      severity: 'warning',
      summary: 'Consumer group {{ $labels.consumergroup }} falls behind on {{ $labels.topic }}',
      description: `Lag is above ${limit} messages and still growing: consumers are slower than producers, stuck, or down.`,
      firing: { series: [lag(`${limit}+100x60`)], evalTime: '20m', expect: [group] },
      quiet: { series: [lag(`${limit * 5}x60`)], evalTime: '20m', expect: [] },
    },
    {
      alert: 'KafkaLagExporterDown',
      expr: `max by (${PER_CLUSTER}) (up{${S},role="${KAFKA_EXPORTER_ROLE}"}) == 0 or absent(up{${S},role="${KAFKA_EXPORTER_ROLE}"})`,
      for: '10m',
      severity: 'warning',
      summary: 'Consumer lag of {{ $labels.cluster }} ({{ $labels.environment }}) is not monitored',
      description: 'kafka-exporter is down or cannot authenticate (SCRAM user kafka-exporter): consumer-lag alerts are blind.',
      firing: { series: [exporterUp('0x30')], evalTime: '20m', expect: [{ environment: spec.name, cluster: spec.kafka.clusterName }] },
      quiet: { series: [exporterUp('1x30')], evalTime: '20m', expect: [] },
    },
  ];
}
