import type { ClusterModel } from '../model/cluster-model';
import { common, dashboard, prometheus, stat, timeseries } from './grafana-sdk';
import type { DashboardModule } from './grafana-sdk';
import { METRICS } from './metric-catalogue';
import { EXPORTERS, KAFKA_EXPORTER_ROLE, TARGET_LABELS } from './target-labels';

type Dashboard = DashboardModule.Dashboard;
type PanelBuilder = InstanceType<typeof timeseries.PanelBuilder> | InstanceType<typeof stat.PanelBuilder>;

/** Every panel queries the datasource picked in the dashboard's `datasource` variable. */
const DATASOURCE: { type: string; uid: string } = { type: 'prometheus', uid: '${datasource}' };

/** The Kafka JVMs' targets: the variables list nodes from them (a VM's node_exporter has the same node labels). */
const JMX_UP = `${TARGET_LABELS.exporter}="${EXPORTERS.jmx}"`;

/** A query: PromQL and the legend Grafana draws for each series. */
type Query = readonly [expr: string, legend: string];

/**
 * The Grafana dashboards of one cluster, keyed by file name under `dist/<env>/monitoring/dashboards/`.
 * Every query is built from catalogue names (or a named other exporter's), filtered by the target labels, and
 * parameterised by the `environment`, `zone` and `node` variables.
 */
export function kafkaDashboards(model: ClusterModel): Record<string, Dashboard> {
  const cluster = model.spec.kafka.clusterName;
  const nodes = `environment="$environment",cluster="${cluster}",zone=~"$zone",node_id=~"$node"`;
  const all = `environment="$environment",cluster="${cluster}"`;
  // `up`, JVM and process series exist once per exporter on a VM (node_exporter has its own process_* series):
  // every such query names the JMX exporter.
  const jmx = `${TARGET_LABELS.exporter}="${EXPORTERS.jmx}"`;
  const jvmNodes = `${nodes},${jmx}`;
  const m = METRICS;
  const rate = (metric: string, selector = nodes) => `rate(${metric}{${selector}}[$__rate_interval])`;
  const byNode = (expr: string) => `sum by (node_id, zone) (${expr})`;
  const nodeLegend = '{{node_id}} ({{zone}})';

  const boards: Record<string, Dashboard> = {
    'kafka-overview.json': board(model, 'overview', 'Kafka cluster overview', [
      statPanel('Brokers up', `sum(up{${all},${jmx},role="broker"})`, 'none'),
      statPanel('Controllers up', `sum(up{${all},${jmx},role="controller"})`, 'none'),
      ...(model.spec.runtime.kind === 'vm'
        ? [statPanel('node_exporters up', `sum(up{${all},${TARGET_LABELS.exporter}="${EXPORTERS.node}"})`, 'none')]
        : []),
      statPanel('Active controllers', `sum(${m.activeControllers.name}{${all}})`, 'none'),
      statPanel('Offline partitions', `max(${m.offlinePartitions.name}{${all}})`, 'none'),
      statPanel('Under-replicated partitions', `sum(${m.underReplicatedPartitions.name}{${all}})`, 'none'),
      statPanel('Under min ISR partitions', `sum(${m.underMinIsrPartitions.name}{${all}})`, 'none'),
      tsPanel('Messages in', 'short', [[`sum(${rate(m.messagesIn.name)})`, 'messages/s']]),
      tsPanel('Client bytes in / out', 'Bps', [
        [`sum(${rate(m.bytesIn.name)})`, 'in'],
        [`sum(${rate(m.bytesOut.name)})`, 'out'],
      ]),
      tsPanel('Requests', 'reqps', [
        [`sum(${rate(m.produceRequests.name)})`, 'produce'],
        [`sum(${rate(m.fetchRequests.name)})`, 'fetch'],
      ]),
      tsPanel('Failed requests', 'reqps', [
        [`sum(${rate(m.failedProduceRequests.name)})`, 'produce'],
        [`sum(${rate(m.failedFetchRequests.name)})`, 'fetch'],
      ]),
    ]),
    'kafka-brokers.json': board(model, 'brokers', 'Kafka brokers', [
      tsPanel('Bytes in per broker', 'Bps', [[byNode(rate(m.bytesIn.name)), nodeLegend]]),
      tsPanel('Bytes out per broker', 'Bps', [[byNode(rate(m.bytesOut.name)), nodeLegend]]),
      tsPanel('Replication bytes in per broker', 'Bps', [[byNode(rate(m.replicationBytesIn.name)), nodeLegend]]),
      tsPanel('Request latency p99', 'ms', [[`max by (request) (${m.requestTotalTime.name}{${nodes},quantile="0.99"})`, '{{request}}']]),
      tsPanel('Request handler idle ratio', 'percentunit', [[`avg by (node_id, zone) (${rate(m.requestHandlerIdle.name)})`, nodeLegend]]),
      tsPanel('Network processor idle ratio', 'percentunit', [[`avg by (node_id, zone) (${m.networkProcessorIdle.name}{${nodes}})`, nodeLegend]]),
      tsPanel('ISR shrinks / expands', 'short', [
        [`sum(${rate(m.isrShrinks.name)})`, 'shrinks/s'],
        [`sum(${rate(m.isrExpands.name)})`, 'expands/s'],
      ]),
      tsPanel('Under-replicated partitions per broker', 'none', [[`max by (node_id, zone) (${m.underReplicatedPartitions.name}{${nodes}})`, nodeLegend]]),
      tsPanel('Request queue size', 'none', [[`max by (node_id, zone) (${m.requestQueueSize.name}{${nodes}})`, nodeLegend]]),
      tsPanel('Connections per listener', 'none', [[`sum by (listener) (${m.listenerConnections.name}{${nodes}})`, '{{listener}}']]),
      tsPanel('Failed authentications', 'short', [[`sum by (listener) (${rate(m.listenerFailedAuthentications.name)})`, '{{listener}}']]),
      tsPanel('Produce purgatory size', 'none', [[`max by (node_id, zone) (${m.producePurgatorySize.name}{${nodes},operation="Produce"})`, nodeLegend]]),
    ]),
    'kafka-kraft.json': board(model, 'kraft', 'Kafka KRaft quorum', [
      statPanel('Quorum leader (node id)', `max(${m.raftLeader.name}{${all},role="controller"})`, 'none'),
      statPanel('Quorum epoch', `max(${m.raftEpoch.name}{${all}})`, 'none'),
      statPanel('Active brokers', `max(${m.activeBrokers.name}{${all}})`, 'none'),
      statPanel('Fenced brokers', `max(${m.fencedBrokers.name}{${all}})`, 'none'),
      tsPanel('Leader per node (state = leader)', 'none', [[`max by (node_id, zone) (${m.raftState.name}{${nodes},state="leader"})`, nodeLegend]]),
      tsPanel('Metadata high watermark', 'none', [[`max by (node_id, zone) (${m.raftHighWatermark.name}{${nodes}})`, nodeLegend]]),
      tsPanel('Commit latency', 'ms', [
        [`max by (node_id) (${m.raftCommitLatencyAvg.name}{${nodes}})`, 'avg {{node_id}}'],
        [`max by (node_id) (${m.raftCommitLatencyMax.name}{${nodes}})`, 'max {{node_id}}'],
      ]),
      tsPanel('Metadata lag (last applied record age)', 'ms', [
        [`max by (node_id, zone) (${m.brokerMetadataLag.name}{${nodes}})`, 'broker ' + nodeLegend],
        [`max by (node_id, zone) (${m.controllerMetadataLag.name}{${nodes}})`, 'controller ' + nodeLegend],
      ]),
      tsPanel('Controller event queue time p99', 'ms', [[`max by (node_id) (${m.eventQueueTime.name}{${nodes},quantile="0.99"})`, '{{node_id}}']]),
      // KRaft registers no leader-election timer (ControllerStats LeaderElectionRateAndTimeMs was ZooKeeper's).
      tsPanel('Controller elections', 'short', [[`max(increase(${m.newActiveControllers.name}{${all}}[$__rate_interval]))`, 'new active controller']]),
      tsPanel('Unclean and ELR partition elections', 'short', [
        [`sum(increase(${m.uncleanLeaderElections.name}{${all}}[$__rate_interval]))`, 'unclean (data loss)'],
        [`sum(increase(${m.electionsFromEligibleLeaderReplicas.name}{${all}}[$__rate_interval]))`, 'from eligible leader replicas'],
      ]),
      statPanel('Quorum voters', `max(${m.raftVoters.name}{${all},role="controller"})`, 'none'),
    ]),
    'kafka-topics.json': board(model, 'topics', 'Kafka topics and partitions', [
      statPanel('Topics', `max(${m.globalTopics.name}{${all}})`, 'none'),
      statPanel('Partitions', `max(${m.globalPartitions.name}{${all}})`, 'none'),
      statPanel('Preferred-leader imbalance', `max(${m.preferredReplicaImbalance.name}{${all}})`, 'none'),
      tsPanel('Messages in per topic', 'short', [[`topk(20, sum by (topic) (${rate(m.topicMessagesIn.name)}))`, '{{topic}}']]),
      tsPanel('Bytes in per topic', 'Bps', [[`topk(20, sum by (topic) (${rate(m.topicBytesIn.name)}))`, '{{topic}}']]),
      tsPanel('Bytes out per topic', 'Bps', [[`topk(20, sum by (topic) (${rate(m.topicBytesOut.name)}))`, '{{topic}}']]),
      tsPanel('Partitions per broker', 'none', [[`max by (node_id, zone) (${m.partitions.name}{${nodes}})`, nodeLegend]]),
      tsPanel('Leaders per broker', 'none', [[`max by (node_id, zone) (${m.leaderPartitions.name}{${nodes}})`, nodeLegend]]),
    ]),
    'kafka-jvm.json': board(model, 'jvm', 'Kafka JVM', [
      tsPanel('Heap used', 'bytes', [[`max by (node_id, zone) (jvm_memory_used_bytes{${jvmNodes},area="heap"})`, nodeLegend]]),
      tsPanel('Heap used / max', 'percentunit', [
        [`max by (node_id, zone) (jvm_memory_used_bytes{${jvmNodes},area="heap"} / jvm_memory_max_bytes{${jvmNodes},area="heap"})`, nodeLegend],
      ]),
      tsPanel('Heap after GC / max', 'percentunit', [
        [`sum by (node_id, zone) (jvm_memory_pool_collection_used_bytes{${jvmNodes}}) / sum by (node_id, zone) (jvm_memory_max_bytes{${jvmNodes},area="heap"})`, nodeLegend],
      ]),
      tsPanel('Time in GC', 'percentunit', [[`sum by (node_id, zone) (${rate('jvm_gc_collection_seconds_sum', jvmNodes)})`, nodeLegend]]),
      tsPanel('GC collections', 'short', [[`sum by (node_id, gc) (${rate('jvm_gc_collection_seconds_count', jvmNodes)})`, '{{node_id}} {{gc}}']]),
      tsPanel('Threads', 'none', [[`max by (node_id, zone) (jvm_threads_current{${jvmNodes}})`, nodeLegend]]),
      tsPanel('Open file descriptors / limit', 'percentunit', [[`max by (node_id, zone) (process_open_fds{${jvmNodes}} / process_max_fds{${jvmNodes}})`, nodeLegend]]),
      tsPanel('CPU', 'percentunit', [[`sum by (node_id, zone) (${rate('process_cpu_seconds_total', jvmNodes)})`, nodeLegend]]),
    ]),
  };
  if (model.spec.monitoring.kafkaExporter.enabled) {
    const lag = `environment="$environment",cluster="${cluster}",role="${KAFKA_EXPORTER_ROLE}",consumergroup=~"$consumergroup"`;
    boards['kafka-consumer-lag.json'] = board(
      model,
      'consumer-lag',
      'Kafka consumer lag',
      [
        tsPanel('Lag per group and topic', 'short', [[`sum by (consumergroup, topic) (kafka_consumergroup_lag{${lag}})`, '{{consumergroup}} / {{topic}}']]),
        tsPanel('Lag trend (messages/s)', 'short', [[`sum by (consumergroup, topic) (deriv(kafka_consumergroup_lag{${lag}}[15m]))`, '{{consumergroup}} / {{topic}}']]),
        tsPanel('Consumed messages/s', 'short', [[`sum by (consumergroup, topic) (rate(kafka_consumergroup_current_offset{${lag}}[$__rate_interval]))`, '{{consumergroup}} / {{topic}}']]),
        tsPanel('Produced messages/s', 'short', [
          [`sum by (topic) (rate(kafka_topic_partition_current_offset{environment="$environment",cluster="${cluster}",role="${KAFKA_EXPORTER_ROLE}"}[$__rate_interval]))`, '{{topic}}'],
        ]),
      ],
      [
        new dashboard.QueryVariableBuilder('consumergroup')
          .label('Consumer group')
          .datasource(DATASOURCE)
          .query(`label_values(kafka_consumergroup_lag{environment="$environment",cluster="${cluster}"}, consumergroup)`)
          .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
          .sort(dashboard.VariableSort.AlphabeticalAsc)
          .multi(true)
          .includeAll(true)
          .allValue('.*'),
      ],
    );
  }
  return boards;
}

function board(
  model: ClusterModel,
  slug: string,
  title: string,
  panels: readonly PanelBuilder[],
  extraVariables: readonly InstanceType<typeof dashboard.QueryVariableBuilder>[] = [],
): Dashboard {
  const spec = model.spec;
  const cluster = spec.kafka.clusterName;
  const variable = (name: string, label: string, query: string) =>
    new dashboard.QueryVariableBuilder(name)
      .label(label)
      .datasource(DATASOURCE)
      .query(query)
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc);
  const builder = new dashboard.DashboardBuilder(`${title} (${cluster})`)
    // Stable uid per environment and board, within Grafana's 40 characters.
    .uid(`${spec.name}-${cluster}-${slug}`.slice(0, 40))
    .tags(['kafka', `cluster:${cluster}`, `environment:${spec.name}`])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(
      variable('environment', 'Environment', `label_values(up{cluster="${cluster}",${JMX_UP}}, environment)`).current({
        text: spec.name,
        value: spec.name,
        selected: true,
      }),
    )
    .withVariable(
      variable('zone', 'Zone', `label_values(up{environment="$environment",cluster="${cluster}",${JMX_UP}}, zone)`).multi(true).includeAll(true).allValue('.*'),
    )
    .withVariable(
      variable('node', 'Node id', `label_values(up{environment="$environment",cluster="${cluster}",${JMX_UP},zone=~"$zone"}, node_id)`)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
  for (const extra of extraVariables) builder.withVariable(extra);
  for (const panel of panels) builder.withPanel(panel);
  return builder.build();
}

function queries(list: readonly Query[]): InstanceType<typeof prometheus.DataqueryBuilder>[] {
  return list.map(([expr, legend], index) =>
    new prometheus.DataqueryBuilder().expr(expr).legendFormat(legend).refId(String.fromCharCode(65 + index)).datasource(DATASOURCE),
  );
}

function tsPanel(title: string, unit: string, list: readonly Query[]): InstanceType<typeof timeseries.PanelBuilder> {
  return new timeseries.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .unit(unit)
    .targets(queries(list))
    .height(8)
    .span(12)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true));
}

function statPanel(title: string, expr: string, unit: string): InstanceType<typeof stat.PanelBuilder> {
  return new stat.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .unit(unit)
    .targets(queries([[expr, title]]))
    .height(4)
    .span(4)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
}

/** Dashboard JSON as written to disk and into the sidecar ConfigMaps. */
export function renderDashboard(model: Dashboard): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

