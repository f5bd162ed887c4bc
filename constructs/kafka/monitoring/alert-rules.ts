import type { ClusterModel } from '../model/cluster-model';
import type { KafkaNode } from '../model/topology';
import { type AlertContext, type AlertDefinition, type AlertGroup, alertContext, testSeries } from './alert-definition';
import { METRICS } from './metric-catalogue';
import { quorumAlerts } from './quorum-alerts';
import { diskAlerts, runtimeAlertGroups } from './runtime-alerts';
import { EXPORTERS, KAFKA_EXPORTER_ROLE, PER_CLUSTER, PER_NODE, TARGET_LABELS } from './target-labels';

export type { AlertDefinition, AlertGroup, AlertTestCase, NamedAlertTestCase, TestSeries } from './alert-definition';
export { runbookAnchor } from './alert-definition';

/** A broker that started this recently means a roll or a restart is under way: ISR shrinks are expected then. */
const ROLL_QUIET_SECONDS = 20 * 60;

/** Every generated alert of a cluster, grouped by what it watches. Thresholds come from `monitoring.thresholds`. */
export function alertGroups(model: ClusterModel): AlertGroup[] {
  const ctx = alertContext(model);
  const groups: AlertGroup[] = [
    { name: 'kafka-replication', alerts: replicationAlerts(ctx) },
    { name: 'kafka-quorum', alerts: quorumAlerts(ctx) },
    { name: 'kafka-availability', alerts: availabilityAlerts(ctx) },
    { name: 'kafka-saturation', alerts: saturationAlerts(ctx) },
    { name: 'kafka-jvm', alerts: jvmAlerts(ctx) },
    { name: 'kafka-storage', alerts: storageAlerts(ctx) },
    ...runtimeAlertGroups(ctx),
  ];
  if (model.spec.monitoring.kafkaExporter.enabled) groups.push({ name: 'kafka-consumer-lag', alerts: consumerLagAlerts(ctx) });
  return groups;
}

function replicationAlerts(ctx: AlertContext): AlertDefinition[] {
  const { S, JMX, broker, controller, model, onNode, onJvm, perNodeGauge, nodeLabels, clusterLabels, nodeTemplate: node } = ctx;
  // A one-at-a-time roll: broker i restarts at minute 5 + 5i; every other broker keeps shrinking ISRs meanwhile.
  const startedAt = (index: number) => 5 + 5 * index;
  const rollSeries = model.brokers.flatMap((each, index) => [
    onNode(METRICS.isrShrinks.name, each, '0+1x40'),
    onJvm('process_start_time_seconds', each, `-86400x${startedAt(index) - 1} ${startedAt(index) * 60}x${40 - startedAt(index)}`),
  ]);
  const rollEnd = startedAt(model.brokers.length - 1);
  const longRunning = model.brokers.map((each) => onJvm('process_start_time_seconds', each, '-86400x40'));
  return [
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
      ...perNodeGauge('KafkaAtMinIsrPartitions', METRICS.atMinIsrPartitions.name, broker, '> 0', '2x40', '0x40', {
        for: '15m',
        severity: 'warning',
        summary: `${node} leads partitions exactly at min.insync.replicas`,
        description: 'One more lost replica blocks acks=all writes to these partitions. Normal for the minutes a broker restarts; not for 15 minutes.',
      }, '25m'),
      // A roll: each of three other brokers is down for 4 minutes, and its followers catch up in between.
      scenarios: [{ name: 'stays silent during a one-at-a-time roll', series: [onNode(METRICS.atMinIsrPartitions.name, broker, '0x4 3x3 0x2 3x3 0x2 3x3 0x20')], evalTime: '25m', expect: [] }],
    },
    perNodeGauge('KafkaOfflineReplicas', METRICS.offlineReplicas.name, broker, '> 0', '4x30', '0x30', {
      for: '5m',
      severity: 'warning',
      summary: `${node} has offline replicas`,
      description: 'Replicas on a failed log directory are offline: their partitions run with fewer replicas until the directory is repaired.',
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
      expr:
        `sum by (${PER_NODE}) (rate(${METRICS.isrShrinks.name}{${S}}[5m])) > 0` +
        ` unless on (${PER_CLUSTER}) (min by (${PER_CLUSTER}) (time() - process_start_time_seconds{${JMX},role="broker"}) < ${ROLL_QUIET_SECONDS})`,
      for: '15m',
      severity: 'warning',
      summary: `ISRs keep shrinking on ${node}`,
      description: 'Followers keep falling out of sync for 15 minutes while no broker restarted: a slow or overloaded broker, disk or network. Quiet while a broker of the cluster started in the last 20 minutes (a roll).',
      firing: { series: [onNode(METRICS.isrShrinks.name, broker, '0+1x40'), ...longRunning], evalTime: '20m', expect: [nodeLabels(broker)] },
      quiet: { series: [onNode(METRICS.isrShrinks.name, broker, '5x40'), ...longRunning], evalTime: '20m', expect: [] },
      scenarios: [{ name: 'stays silent during a one-at-a-time roll', series: rollSeries, evalTime: `${Math.min(rollEnd + 5, 40)}m`, expect: [] }],
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
}

function availabilityAlerts(ctx: AlertContext): AlertDefinition[] {
  const { JMX, model, broker, up, nodeLabels, clusterLabels, nodeTemplate: node } = ctx;
  // Every test also carries a node_exporter target with the same node labels, up: `up` of another exporter must
  // never stand in for the Kafka JVM (a dead JVM on a running VM).
  const upSeries = (nodes: readonly KafkaNode[], downIndex: number) =>
    nodes.flatMap((each, index) => [up(each, index === downIndex ? '0x15' : '1x15'), up(each, '1x15', EXPORTERS.node)]);
  const jvm = (role: string) => `up{${JMX},role="${role}"}`;
  return [
    {
      alert: 'KafkaNodeDown',
      expr: `max by (${PER_NODE}) (up{${JMX},role=~"broker|controller"}) == 0`,
      for: '3m',
      severity: 'critical',
      summary: `${node} is down or cannot be scraped`,
      description: 'Prometheus cannot scrape the node\'s JMX exporter: the JVM is down, restarting, or unreachable.',
      firing: { series: upSeries([broker], 0), evalTime: '10m', expect: [nodeLabels(broker)] },
      quiet: { series: upSeries([broker], -1), evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaBrokersMissing',
      expr: `sum by (${PER_CLUSTER}) (${jvm('broker')}) < ${model.brokers.length}`,
      for: '5m',
      severity: 'critical',
      summary: `Fewer than ${model.brokers.length} brokers of {{ $labels.cluster }} ({{ $labels.environment }}) are up`,
      description: `The cluster is declared with ${model.brokers.length} brokers; some are down, not scheduled, or not scraped.`,
      firing: { series: upSeries(model.brokers, 0), evalTime: '10m', expect: [clusterLabels] },
      quiet: { series: upSeries(model.brokers, -1), evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaControllersMissing',
      expr: `sum by (${PER_CLUSTER}) (${jvm('controller')}) < ${model.controllers.length}`,
      for: '5m',
      severity: model.controllers.length > 1 ? 'warning' : 'critical',
      summary: `Fewer than ${model.controllers.length} controllers of {{ $labels.cluster }} ({{ $labels.environment }}) are up`,
      description: `The quorum has ${model.controllers.length} voters and needs ${Math.floor(model.controllers.length / 2) + 1}; each missing voter removes fault tolerance.`,
      firing: { series: upSeries(model.controllers, 0), evalTime: '10m', expect: [clusterLabels] },
      quiet: { series: upSeries(model.controllers, -1), evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaScrapeTargetsAbsent',
      expr: `absent(${jvm('broker')}) or absent(${jvm('controller')})`,
      for: '10m',
      severity: 'critical',
      summary: 'No {{ $labels.role }} of {{ $labels.cluster }} ({{ $labels.environment }}) is a scrape target',
      description: 'Every other alert of this role is blind: the PodMonitor/scrape config does not select the pods, or the pods are gone.',
      // Brokers' node_exporter targets exist, their JVMs' do not.
      firing: {
        series: [...upSeries(model.controllers, -1), ...model.brokers.map((each) => up(each, '1x15', EXPORTERS.node))],
        evalTime: '15m',
        expect: [{ ...clusterLabels, role: 'broker', [TARGET_LABELS.exporter]: EXPORTERS.jmx }],
      },
      quiet: { series: [...upSeries(model.controllers, -1), ...upSeries(model.brokers, -1)], evalTime: '15m', expect: [] },
    },
  ];
}

function saturationAlerts(ctx: AlertContext): AlertDefinition[] {
  const { S, broker, onNode, perNodeGauge, nodeLabels, nodeTemplate: node, model } = ctx;
  const t = model.spec.monitoring.thresholds;
  const p99 = (request: string, values: string) => onNode(METRICS.requestTotalTime.name, broker, values, { request, quantile: '0.99' });
  const latency = (alert: string, request: string, limit: number, what: string): AlertDefinition => ({
    alert,
    expr: `max by (${PER_NODE}) (${METRICS.requestTotalTime.name}{${S},request="${request}",quantile="0.99"}) > ${limit}`,
    for: '15m',
    severity: 'warning',
    summary: `p99 ${what} latency on ${node} is above ${limit} ms`,
    description: `${what} requests are slow on this broker (total time: queue, local, remote and response). See the request latency panels for which phase grew.`,
    firing: { series: [p99(request, `${limit * 2}x30`)], evalTime: '20m', expect: [nodeLabels(broker)] },
    quiet: { series: [p99(request, `${Math.floor(limit / 4)}x30`), p99(request === 'Produce' ? 'FetchConsumer' : 'Produce', `${limit * 10}x30`)], evalTime: '20m', expect: [] },
  });
  const auth = (values: string) => onNode(METRICS.listenerFailedAuthentications.name, broker, values, { listener: 'CLIENT', network_processor: '0' });
  const perSecond = t.failedAuthenticationsPerSecond;
  return [
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
    }),
    latency('KafkaProduceLatencyHigh', 'Produce', t.produceLatencyP99Ms, 'Produce'),
    latency('KafkaFetchLatencyHigh', 'FetchConsumer', t.fetchLatencyP99Ms, 'consumer Fetch'),
    {
      alert: 'KafkaFailedAuthenticationSpike',
      expr: `sum by (${PER_NODE}, listener) (rate(${METRICS.listenerFailedAuthentications.name}{${S}}[5m])) > ${perSecond}`,
      for: '10m',
      severity: 'warning',
      summary: `More than ${perSecond} failed authentications per second on listener {{ $labels.listener }} of ${node}`,
      description: 'A client with a wrong or rotated password or certificate is retrying, or someone is guessing credentials. The broker log names the principal and address.',
      firing: { series: [auth(`0+${Math.ceil(perSecond * 120)}x30`)], evalTime: '20m', expect: [{ ...nodeLabels(broker), listener: 'CLIENT' }] },
      quiet: { series: [auth(`0+${Math.max(1, Math.floor(perSecond * 6))}x30`)], evalTime: '20m', expect: [] },
    },
  ];
}

function jvmAlerts(ctx: AlertContext): AlertDefinition[] {
  const { JMX, broker, onJvm, nodeLabels, nodeTemplate: node, model } = ctx;
  const t = model.spec.monitoring.thresholds;
  const pools = (oldGen: string, eden: string) => [
    onJvm('jvm_memory_pool_collection_used_bytes', broker, oldGen, { pool: 'G1 Old Gen' }),
    onJvm('jvm_memory_pool_collection_used_bytes', broker, eden, { pool: 'G1 Eden Space' }),
    onJvm('jvm_memory_max_bytes', broker, '100x30', { area: 'heap' }),
  ];
  const fds = (open: string) => [onJvm('process_open_fds', broker, open), onJvm('process_max_fds', broker, '1000x30')];
  return [
    {
      alert: 'KafkaJvmHeapPressure',
      // Heap after collection: what survives GC. Heap used right before a young collection is routinely near max.
      expr:
        `sum by (${PER_NODE}) (jvm_memory_pool_collection_used_bytes{${JMX}})` +
        ` / sum by (${PER_NODE}) (jvm_memory_max_bytes{${JMX},area="heap"}) * 100 > ${t.heapUsagePercent}`,
      for: '15m',
      severity: 'warning',
      summary: `Heap of ${node} stays above ${t.heapUsagePercent}% after garbage collection`,
      description: 'What survives collection nearly fills the heap: long GC pauses and OutOfMemoryError follow.',
      firing: { series: pools('90x30', '0x30'), evalTime: '20m', expect: [nodeLabels(broker)] },
      // Heap in use is high (before collection), what survives collection is not.
      quiet: { series: [...pools('40x30', '0x30'), onJvm('jvm_memory_used_bytes', broker, '97x30', { area: 'heap' })], evalTime: '20m', expect: [] },
    },
    {
      alert: 'KafkaJvmGcPressure',
      expr: `sum by (${PER_NODE}) (rate(jvm_gc_collection_seconds_sum{${JMX}}[5m])) > 0.1`,
      for: '15m',
      severity: 'warning',
      summary: `${node} spends more than 10% of its time in garbage collection`,
      description: 'GC pauses stall request handling and can push the node out of ISRs or make it miss heartbeats.',
      firing: { series: [onJvm('jvm_gc_collection_seconds_sum', broker, '0+12x40', { gc: 'G1 Young Generation' })], evalTime: '20m', expect: [nodeLabels(broker)] },
      quiet: { series: [onJvm('jvm_gc_collection_seconds_sum', broker, '0+1x40', { gc: 'G1 Young Generation' })], evalTime: '20m', expect: [] },
    },
    {
      alert: 'KafkaJvmDeadlockedThreads',
      expr: `max by (${PER_NODE}) (jvm_threads_deadlocked{${JMX}}) > 0`,
      for: '5m',
      severity: 'critical',
      summary: `${node} has deadlocked threads`,
      description: 'Threads of the Kafka JVM wait on each other forever; whatever they serve (requests, replication, the controller) is stuck until a restart. Take a thread dump first.',
      firing: { series: [onJvm('jvm_threads_deadlocked', broker, '2x20')], evalTime: '10m', expect: [nodeLabels(broker)] },
      quiet: { series: [onJvm('jvm_threads_deadlocked', broker, '0x20')], evalTime: '10m', expect: [] },
    },
    {
      alert: 'KafkaFileDescriptorsNearLimit',
      expr: `max by (${PER_NODE}) (process_open_fds{${JMX}} / process_max_fds{${JMX}}) * 100 > ${t.fileDescriptorUsagePercent}`,
      for: '15m',
      severity: 'warning',
      summary: `${node} uses more than ${t.fileDescriptorUsagePercent}% of its file descriptor limit`,
      description: 'Every segment file and connection holds a descriptor; at the limit the broker cannot open segments or accept connections and stops log directories.',
      firing: { series: fds('900x30'), evalTime: '20m', expect: [nodeLabels(broker)] },
      quiet: { series: fds('300x30'), evalTime: '20m', expect: [] },
    },
  ];
}

function storageAlerts(ctx: AlertContext): AlertDefinition[] {
  const { S, broker, onNode, perNodeGauge, nodeLabels, nodeTemplate: node } = ctx;
  const dir = { log_directory: '/var/lib/kafka/data' };
  return [
    perNodeGauge('KafkaOfflineLogDirectories', METRICS.offlineLogDirectories.name, broker, '> 0', '1x30', '0x30', {
      for: '1m',
      severity: 'critical',
      summary: `${node} has offline log directories`,
      description: 'A disk failed or filled up; the replicas on it are offline until the directory is repaired.',
    }),
    perNodeGauge('KafkaLogCleanerThreadsDead', METRICS.logCleanerDeadThreads.name, broker, '> 0', '1x30', '0x30', {
      for: '5m',
      severity: 'warning',
      summary: `Log cleaner threads died on ${node}`,
      description: 'Compacted topics (__consumer_offsets, __transaction_state, changelogs) stop being compacted on this broker and grow until its disk fills.',
    }),
    {
      alert: 'KafkaLogCleanerUncleanablePartitions',
      expr: `max by (${PER_NODE}, log_directory) (${METRICS.logCleanerUncleanablePartitions.name}{${S}}) > 0`,
      for: '15m',
      severity: 'warning',
      summary: `The log cleaner gave up on partitions in {{ $labels.log_directory }} of ${node}`,
      description: 'The cleaner hit an error on these partitions and skips them from now on: they are no longer compacted.',
      firing: { series: [onNode(METRICS.logCleanerUncleanablePartitions.name, broker, '2x30', dir)], evalTime: '20m', expect: [{ ...nodeLabels(broker), ...dir }] },
      quiet: { series: [onNode(METRICS.logCleanerUncleanablePartitions.name, broker, '0x30', dir)], evalTime: '20m', expect: [] },
    },
    ...diskAlerts(ctx),
  ];
}

function consumerLagAlerts(ctx: AlertContext): AlertDefinition[] {
  const { S, model } = ctx;
  const spec = model.spec;
  const limit = spec.monitoring.thresholds.consumerLagMessages;
  const exporterLabels = { environment: spec.name, cluster: spec.kafka.clusterName, role: KAFKA_EXPORTER_ROLE, [TARGET_LABELS.exporter]: EXPORTERS.kafkaExporter };
  const group = { environment: spec.name, cluster: spec.kafka.clusterName, consumergroup: 'orders-service', topic: 'orders' };
  const lag = (values: string) => testSeries('kafka_consumergroup_lag', { ...exporterLabels, ...group, partition: '0' }, values);
  const members = (values: string) => testSeries('kafka_consumergroup_members', { ...exporterLabels, consumergroup: group.consumergroup }, values);
  const exporterUp = (values: string) => testSeries('up', exporterLabels, values);
  const by = `${PER_CLUSTER}, consumergroup, topic`;
  const byGroup = `${PER_CLUSTER}, consumergroup`;
  return [
    {
      alert: 'KafkaConsumerLagGrowing',
      // A group without members (an abandoned group, a stopped batch job) has lag that grows by design.
      expr:
        `(sum by (${by}) (kafka_consumergroup_lag{${S}}) > ${limit}` +
        ` and sum by (${by}) (deriv(kafka_consumergroup_lag{${S}}[15m])) > 0)` +
        ` and on (${byGroup}) (max by (${byGroup}) (kafka_consumergroup_members{${S}}) > 0)`,
      for: '15m',
      severity: 'warning',
      summary: 'Consumer group {{ $labels.consumergroup }} falls behind on {{ $labels.topic }}',
      description: `Lag is above ${limit} messages and still growing while the group has members: consumers are slower than producers or stuck.`,
      firing: { series: [lag(`${limit}+100x60`), members('3x60')], evalTime: '20m', expect: [group] },
      quiet: { series: [lag(`${limit * 5}x60`), members('3x60')], evalTime: '20m', expect: [] },
      scenarios: [{ name: 'ignores a group without members', series: [lag(`${limit}+100x60`), members('0x60')], evalTime: '20m', expect: [] }],
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
