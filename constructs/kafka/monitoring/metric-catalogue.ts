import type { NodeRole } from '../model/sizing';
import { VM_CERTIFICATE_EXPIRY_METRIC, VM_CERTIFICATE_RENEWAL_FAILED_METRIC, VM_LOG_SHIPPING_FAILED_METRIC } from './node-exporter';

/**
 * The one list of Kafka metric names. The JMX exporter rules are generated from it, and alerts and dashboards refer
 * to its entries (never to string literals), so a renamed metric breaks the build instead of silently breaking a
 * dashboard. The consistency test runs the generated rules over real Kafka 4.x MBean names to prove every entry is
 * produced.
 *
 * Naming scheme (one for the whole cluster):
 * - `kafka_<area>_<what>`, snake case, no MBean CamelCase.
 * - Yammer meters (`...PerSec`) → their cumulative `Count` as a COUNTER ending in `_total`; rates are PromQL's job
 *   (`rate()`), never the exporter's MeanRate/OneMinuteRate, which are per-second gauges `rate()` must not touch.
 * - Yammer gauges → their `Value` as a GAUGE.
 * - Yammer histograms/timers → a GAUGE per quantile (label `quantile`) plus the `Count` as a `..._total` counter.
 * - Kafka-metrics beans (`raft-metrics`, `broker-metadata-metrics`, `socket-server-metrics`) → their numeric
 *   attributes; the string `current-state` becomes `kafka_raft_current_state{state="leader"} 1`.
 */
export interface CatalogueMetric {
  /** The Prometheus name as exported. COUNTERs end in `_total` (jmx_exporter 1.x appends it otherwise). */
  readonly name: string;
  /** Prometheus metric type: `COUNTER` (only ever grows; use `rate()`) or `GAUGE`. */
  readonly type: 'COUNTER' | 'GAUGE';
  /** HELP text of the metric: what it measures, in Kafka's terms. */
  readonly help: string;
  /**
   * jmx_exporter rule pattern, matched against `domain<key=value, ...><attrKeys>attribute: value` (key order as the
   * MBean was registered). Capture groups feed `labels`.
   */
  readonly pattern: string;
  /** Labels from capture groups, e.g. `{ topic: '$1' }`. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Multiplier applied to the value, e.g. ns → s. @default 1 */
  readonly valueFactor?: number;
  /** Fixed value (for string attributes turned into info-style series). @default - the attribute's value */
  readonly value?: string;
  /** Roles whose JVM registers the MBean (documentation; rules are shared). */
  readonly roles: readonly NodeRole[];
  /** Thousands of series per broker: exported only with `monitoring.partitionMetrics`. @default false */
  readonly perPartition?: boolean;
}

const BOTH: readonly NodeRole[] = ['controller', 'broker'];
const BROKER: readonly NodeRole[] = ['broker'];
const CONTROLLER: readonly NodeRole[] = ['controller'];

/** Yammer Gauge: `Value`. */
function yammerGauge(name: string, domain: string, type: string, bean: string, help: string, roles = BROKER): CatalogueMetric {
  return { name, type: 'GAUGE', help, roles, pattern: `${domain}<type=${type}, name=${bean}><>Value` };
}

/** Yammer Meter: its cumulative `Count`. */
function yammerMeter(name: string, domain: string, type: string, bean: string, help: string, roles = BROKER): CatalogueMetric {
  return { name, type: 'COUNTER', help, roles, pattern: `${domain}<type=${type}, name=${bean}><>Count` };
}

/** A Yammer gauge whose value is a count that only grows (until a restart): a counter to Prometheus. */
function monotonicGauge(name: string, pattern: string, help: string, roles: readonly NodeRole[]): CatalogueMetric {
  return { name, type: 'COUNTER', help, roles, pattern };
}

/** Kafka-metrics bean attribute (JmxReporter): `domain<type=group><>attribute`. */
function kafkaMetric(name: string, type: CatalogueMetric['type'], group: string, attribute: string, help: string, roles = BOTH): CatalogueMetric {
  return { name, type, help, roles, pattern: `kafka.server<type=${group}><>${attribute}` };
}

const TOPIC = '([-.\\w]+)';
const QUANTILE = '(50|75|95|99|999)thPercentile';

/** Broker-wide throughput meters, also exported per topic (the topic-less bean is the all-topic total). */
const BROKER_TOPIC_METERS: ReadonlyArray<[string, string, string]> = [
  ['messages_in', 'MessagesInPerSec', 'Messages appended by producers.'],
  ['bytes_in', 'BytesInPerSec', 'Bytes received from clients.'],
  ['bytes_out', 'BytesOutPerSec', 'Bytes sent to clients.'],
  ['produce_requests', 'TotalProduceRequestsPerSec', 'Produce requests.'],
  ['fetch_requests', 'TotalFetchRequestsPerSec', 'Fetch requests (clients and followers).'],
  ['failed_produce_requests', 'FailedProduceRequestsPerSec', 'Failed produce requests.'],
  ['failed_fetch_requests', 'FailedFetchRequestsPerSec', 'Failed fetch requests.'],
];

/**
 * Every metric the JMX exporter exports, by a stable key (`METRICS.underReplicatedPartitions.name`): the exporter
 * rules are generated from this table and the alerts name their metrics through it, so both spell them the same.
 */
export const METRICS = {
  // --- Replication health (ReplicaManager) ---------------------------------------------------------------------
  underReplicatedPartitions: yammerGauge('kafka_server_under_replicated_partitions', 'kafka.server', 'ReplicaManager', 'UnderReplicatedPartitions', 'Partitions led by this broker whose ISR is smaller than the replica set.'),
  underMinIsrPartitions: yammerGauge('kafka_server_under_min_isr_partitions', 'kafka.server', 'ReplicaManager', 'UnderMinIsrPartitionCount', 'Partitions led by this broker with fewer in-sync replicas than min.insync.replicas: acks=all writes fail.'),
  atMinIsrPartitions: yammerGauge('kafka_server_at_min_isr_partitions', 'kafka.server', 'ReplicaManager', 'AtMinIsrPartitionCount', 'Partitions exactly at min.insync.replicas: one more loss blocks writes.'),
  partitions: yammerGauge('kafka_server_partitions', 'kafka.server', 'ReplicaManager', 'PartitionCount', 'Partitions (replicas) hosted by this broker.'),
  leaderPartitions: yammerGauge('kafka_server_leader_partitions', 'kafka.server', 'ReplicaManager', 'LeaderCount', 'Partitions led by this broker.'),
  offlineReplicas: yammerGauge('kafka_server_offline_replicas', 'kafka.server', 'ReplicaManager', 'OfflineReplicaCount', 'Replicas on this broker that are offline.'),
  isrShrinks: yammerMeter('kafka_server_isr_shrinks_total', 'kafka.server', 'ReplicaManager', 'IsrShrinksPerSec', 'ISR shrinks: a follower fell out of sync.'),
  isrExpands: yammerMeter('kafka_server_isr_expands_total', 'kafka.server', 'ReplicaManager', 'IsrExpandsPerSec', 'ISR expansions: a follower caught up.'),
  failedIsrUpdates: yammerMeter('kafka_server_failed_isr_updates_total', 'kafka.server', 'ReplicaManager', 'FailedIsrUpdatesPerSec', 'ISR updates the controller rejected.'),
  replicaMaxLag: {
    name: 'kafka_server_replica_fetcher_max_lag_messages',
    type: 'GAUGE',
    help: 'Largest lag in messages of a follower replica on this broker.',
    roles: BROKER,
    pattern: 'kafka.server<type=ReplicaFetcherManager, name=MaxLag, clientId=Replica><>Value',
  },

  // --- Request processing --------------------------------------------------------------------------------------
  /** Kafka marks idle nanoseconds per handler thread; ×1e-9 makes the counter's rate() the idle ratio (0–1). */
  requestHandlerIdle: {
    name: 'kafka_server_request_handler_idle_seconds_total',
    type: 'COUNTER',
    help: 'Idle time of the request handler pool per thread; rate() is the average idle ratio (0–1).',
    roles: BOTH,
    pattern: 'kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>Count',
    valueFactor: 1e-9,
  },
  networkProcessorIdle: yammerGauge('kafka_network_processor_avg_idle_ratio', 'kafka.network', 'SocketServer', 'NetworkProcessorAvgIdlePercent', 'Average idle ratio (0–1) of the network processor threads.', BOTH),
  requestQueueSize: yammerGauge('kafka_network_request_queue_size', 'kafka.network', 'RequestChannel', 'RequestQueueSize', 'Requests waiting for a handler thread.', BOTH),
  requests: {
    name: 'kafka_network_requests_total',
    type: 'COUNTER',
    help: 'Requests received, by request type and API version.',
    roles: BOTH,
    pattern: 'kafka.network<type=RequestMetrics, name=RequestsPerSec, request=([-.\\w]+), version=([0-9]+)><>Count',
    labels: { request: '$1', version: '$2' },
  },
  requestErrors: {
    name: 'kafka_network_request_errors_total',
    type: 'COUNTER',
    help: 'Responses by request type and error code (error="NONE" counts successes).',
    roles: BOTH,
    pattern: 'kafka.network<type=RequestMetrics, name=ErrorsPerSec, request=([-.\\w]+), error=([-.\\w]+)><>Count',
    labels: { request: '$1', error: '$2' },
  },
  requestTotalTime: {
    name: 'kafka_network_request_total_time_ms',
    type: 'GAUGE',
    help: 'Quantiles of the total time of Produce and Fetch requests in milliseconds (Kafka\'s decaying reservoir).',
    roles: BROKER,
    pattern: `kafka.network<type=RequestMetrics, name=TotalTimeMs, request=(Produce|FetchConsumer|FetchFollower)><>${QUANTILE}`,
    labels: { request: '$1', quantile: '0.$2' },
  },
  requestsTimed: {
    name: 'kafka_network_request_total_time_observations_total',
    type: 'COUNTER',
    help: 'Requests measured by kafka_network_request_total_time_ms (the timer\'s Count).',
    roles: BROKER,
    pattern: 'kafka.network<type=RequestMetrics, name=TotalTimeMs, request=(Produce|FetchConsumer|FetchFollower)><>Count',
    labels: { request: '$1' },
  },
  producePurgatorySize: {
    name: 'kafka_server_purgatory_size',
    type: 'GAUGE',
    help: 'Requests waiting in a purgatory (Produce: acks=all waiting for followers; Fetch: long polls).',
    roles: BROKER,
    pattern: 'kafka.server<type=DelayedOperationPurgatory, name=PurgatorySize, delayedOperation=(Produce|Fetch)><>Value',
    labels: { operation: '$1' },
  },

  // --- Throughput ----------------------------------------------------------------------------------------------
  ...Object.fromEntries(
    BROKER_TOPIC_METERS.flatMap(([key, bean, help]) => [
      [
        camel(key),
        {
          name: `kafka_server_${key}_total`,
          type: 'COUNTER',
          help: `${help} All topics.`,
          roles: BROKER,
          pattern: `kafka.server<type=BrokerTopicMetrics, name=${bean}><>Count`,
        } satisfies CatalogueMetric,
      ],
      [
        camel(`topic_${key}`),
        {
          name: `kafka_server_topic_${key}_total`,
          type: 'COUNTER',
          help: `${help} Per topic.`,
          roles: BROKER,
          pattern: `kafka.server<type=BrokerTopicMetrics, name=${bean}, topic=${TOPIC}><>Count`,
          labels: { topic: '$1' },
        } satisfies CatalogueMetric,
      ],
    ]),
  ) as Record<
    | 'messagesIn' | 'bytesIn' | 'bytesOut' | 'produceRequests' | 'fetchRequests' | 'failedProduceRequests' | 'failedFetchRequests'
    | 'topicMessagesIn' | 'topicBytesIn' | 'topicBytesOut' | 'topicProduceRequests' | 'topicFetchRequests'
    | 'topicFailedProduceRequests' | 'topicFailedFetchRequests',
    CatalogueMetric
  >,
  replicationBytesIn: yammerMeter('kafka_server_replication_bytes_in_total', 'kafka.server', 'BrokerTopicMetrics', 'ReplicationBytesInPerSec', 'Bytes received from other brokers (replication).'),
  replicationBytesOut: yammerMeter('kafka_server_replication_bytes_out_total', 'kafka.server', 'BrokerTopicMetrics', 'ReplicationBytesOutPerSec', 'Bytes sent to other brokers (replication).'),

  // --- Log directories -----------------------------------------------------------------------------------------
  // LogManager and the log cleaner exist on brokers only (controllers keep the metadata log without a LogManager).
  offlineLogDirectories: yammerGauge('kafka_log_offline_log_directories', 'kafka.log', 'LogManager', 'OfflineLogDirectoryCount', 'Log directories this broker has taken offline after I/O errors.'),
  /** LogSegment's static flush timer: the KRaft metadata log flushes through it too. */
  logFlushes: yammerMeter('kafka_log_flushes_total', 'kafka.log', 'LogFlushStats', 'LogFlushRateAndTimeMs', 'Log flushes to disk.', BOTH),
  logCleanerDeadThreads: yammerGauge('kafka_log_cleaner_dead_threads', 'kafka.log', 'LogCleaner', 'DeadThreadCount', 'Log cleaner threads that died: compacted topics stop being compacted.'),
  /** Kafka quotes the directory (a path) in the ObjectName, so the quotes are optional in the pattern. */
  logCleanerUncleanablePartitions: {
    name: 'kafka_log_cleaner_uncleanable_partitions',
    type: 'GAUGE',
    help: 'Partitions the log cleaner marked uncleanable after an error, per log directory.',
    roles: BROKER,
    pattern: 'kafka.log<type=LogCleanerManager, name=uncleanable-partitions-count, logDirectory="?([^",]+)"?><>Value',
    labels: { log_directory: '$1' },
  },

  // --- Socket server (per listener) ------------------------------------------------------------------------------
  listenerConnections: {
    name: 'kafka_server_listener_connections',
    type: 'GAUGE',
    help: 'Open connections per listener and network processor.',
    roles: BOTH,
    pattern: 'kafka.server<type=socket-server-metrics, listener=([-.\\w]+), networkProcessor=([0-9]+)><>connection-count',
    labels: { listener: '$1', network_processor: '$2' },
  },
  listenerConnectionsCreated: {
    name: 'kafka_server_listener_connections_created_total',
    type: 'COUNTER',
    help: 'Connections accepted per listener and network processor.',
    roles: BOTH,
    pattern: 'kafka.server<type=socket-server-metrics, listener=([-.\\w]+), networkProcessor=([0-9]+)><>connection-creation-total',
    labels: { listener: '$1', network_processor: '$2' },
  },
  listenerFailedAuthentications: {
    name: 'kafka_server_listener_failed_authentications_total',
    type: 'COUNTER',
    help: 'Failed authentications per listener and network processor.',
    roles: BOTH,
    pattern: 'kafka.server<type=socket-server-metrics, listener=([-.\\w]+), networkProcessor=([0-9]+)><>failed-authentication-total',
    labels: { listener: '$1', network_processor: '$2' },
  },

  // --- KRaft controller (QuorumController) -------------------------------------------------------------------------
  activeControllers: yammerGauge('kafka_controller_active_controller_count', 'kafka.controller', 'KafkaController', 'ActiveControllerCount', '1 on the active controller, 0 elsewhere; the sum over the cluster must be exactly 1.', CONTROLLER),
  offlinePartitions: yammerGauge('kafka_controller_offline_partitions', 'kafka.controller', 'KafkaController', 'OfflinePartitionsCount', 'Partitions without a leader, as seen by the controller.', CONTROLLER),
  activeBrokers: yammerGauge('kafka_controller_active_brokers', 'kafka.controller', 'KafkaController', 'ActiveBrokerCount', 'Registered, unfenced brokers as seen by the controller.', CONTROLLER),
  fencedBrokers: yammerGauge('kafka_controller_fenced_brokers', 'kafka.controller', 'KafkaController', 'FencedBrokerCount', 'Fenced brokers (registered but not heartbeating or not caught up).', CONTROLLER),
  globalTopics: yammerGauge('kafka_controller_global_topics', 'kafka.controller', 'KafkaController', 'GlobalTopicCount', 'Topics in the cluster.', CONTROLLER),
  globalPartitions: yammerGauge('kafka_controller_global_partitions', 'kafka.controller', 'KafkaController', 'GlobalPartitionCount', 'Partitions in the cluster.', CONTROLLER),
  preferredReplicaImbalance: yammerGauge('kafka_controller_preferred_replica_imbalance', 'kafka.controller', 'KafkaController', 'PreferredReplicaImbalanceCount', 'Partitions not led by their preferred replica.', CONTROLLER),
  // Kafka registers these counts as gauges of a counter that only grows until the JVM restarts: exported as counters
  // so increase() reads them (and survives the reset at a restart).
  metadataErrors: monotonicGauge('kafka_controller_metadata_errors_total', 'kafka.controller<type=KafkaController, name=MetadataErrorCount><>Value', 'Errors this controller hit while processing the metadata log.', CONTROLLER),
  timedOutBrokerHeartbeats: monotonicGauge('kafka_controller_timed_out_broker_heartbeats_total', 'kafka.controller<type=KafkaController, name=TimedOutBrokerHeartbeatCount><>Value', 'Broker heartbeats the active controller timed out (the broker is then fenced).', CONTROLLER),
  eventQueueOperationsTimedOut: monotonicGauge('kafka_controller_event_queue_operations_timed_out_total', 'kafka.controller<type=KafkaController, name=EventQueueOperationsTimedOutCount><>Value', 'Controller operations that timed out in the event queue before they ran.', CONTROLLER),
  controllerMetadataLag: yammerGauge('kafka_controller_last_applied_record_lag_ms', 'kafka.controller', 'KafkaController', 'LastAppliedRecordLagMs', 'Age of the last metadata record applied by this controller (0 on the active one).', CONTROLLER),
  newActiveControllers: monotonicGauge('kafka_controller_new_active_controllers_total', 'kafka.controller<type=KafkaController, name=NewActiveControllersCount><>Value', 'Controller elections this node has seen (a monotonic gauge in Kafka).', CONTROLLER),
  uncleanLeaderElections: yammerMeter('kafka_controller_unclean_leader_elections_total', 'kafka.controller', 'ControllerStats', 'UncleanLeaderElectionsPerSec', 'Unclean leader elections: an out-of-sync replica became leader and data was lost.', CONTROLLER),
  // ControllerStats LeaderElectionRateAndTimeMs was the ZooKeeper controller's: no 4.x class registers it.
  electionsFromEligibleLeaderReplicas: yammerMeter('kafka_controller_elr_elections_total', 'kafka.controller', 'ControllerStats', 'ElectionFromEligibleLeaderReplicasPerSec', 'Leaders elected from the eligible leader replicas (KIP-966): the partition had fallen below min ISR.', CONTROLLER),
  eventQueueTime: {
    name: 'kafka_controller_event_queue_time_ms',
    type: 'GAUGE',
    help: 'Quantiles of the time events wait in the controller event queue, in milliseconds.',
    roles: CONTROLLER,
    pattern: `kafka.controller<type=ControllerEventManager, name=EventQueueTimeMs><>${QUANTILE}`,
    labels: { quantile: '0.$1' },
  },
  eventQueueEvents: {
    name: 'kafka_controller_event_queue_events_total',
    type: 'COUNTER',
    help: 'Events measured by kafka_controller_event_queue_time_ms (the histogram\'s Count).',
    roles: CONTROLLER,
    pattern: 'kafka.controller<type=ControllerEventManager, name=EventQueueTimeMs><>Count',
  },

  // --- KRaft quorum (raft-metrics, on every node) ------------------------------------------------------------------
  raftState: {
    name: 'kafka_raft_current_state',
    type: 'GAUGE',
    help: '1 for the node\'s current Raft state (leader, candidate, voted, follower, unattached, observer).',
    roles: BOTH,
    pattern: 'kafka.server<type=raft-metrics><>current-state: ([a-z]+)',
    labels: { state: '$1' },
    value: '1',
  },
  raftLeader: kafkaMetric('kafka_raft_current_leader', 'GAUGE', 'raft-metrics', 'current-leader', 'Node id of the quorum leader this node knows; -1 when unknown.'),
  raftEpoch: kafkaMetric('kafka_raft_current_epoch', 'GAUGE', 'raft-metrics', 'current-epoch', 'Current quorum epoch; increases with every election.'),
  raftHighWatermark: kafkaMetric('kafka_raft_high_watermark', 'GAUGE', 'raft-metrics', 'high-watermark', 'Committed offset of the metadata log on this node; -1 when unknown. Advances at least every metadata.max.idle.interval.ms (KIP-835).'),
  raftLogEndOffset: kafkaMetric('kafka_raft_log_end_offset', 'GAUGE', 'raft-metrics', 'log-end-offset', 'End offset of the metadata log on this node.'),
  raftCommitLatencyAvg: kafkaMetric('kafka_raft_commit_latency_avg_ms', 'GAUGE', 'raft-metrics', 'commit-latency-avg', 'Average time to commit a metadata record, in milliseconds.'),
  raftCommitLatencyMax: kafkaMetric('kafka_raft_commit_latency_max_ms', 'GAUGE', 'raft-metrics', 'commit-latency-max', 'Maximum time to commit a metadata record, in milliseconds.'),
  raftElectionLatencyMax: kafkaMetric('kafka_raft_election_latency_max_ms', 'GAUGE', 'raft-metrics', 'election-latency-max', 'Longest recent leader election, in milliseconds.'),
  raftFetchRecordsRate: kafkaMetric('kafka_raft_fetch_records_rate', 'GAUGE', 'raft-metrics', 'fetch-records-rate', 'Metadata records fetched per second from the quorum leader (a per-second gauge: never rate() it).'),
  raftVoters: kafkaMetric('kafka_raft_voters', 'GAUGE', 'raft-metrics', 'number-of-voters', 'Voters of the KRaft quorum as this member knows them (KIP-853).'),
  raftUnknownVoterConnections: kafkaMetric('kafka_raft_unknown_voter_connections', 'GAUGE', 'raft-metrics', 'number-unknown-voter-connections', 'Voters whose connection information this member does not have.'),
  raftAppendRecordsRate: kafkaMetric('kafka_raft_append_records_rate', 'GAUGE', 'raft-metrics', 'append-records-rate', 'Metadata records appended per second by the quorum leader (a per-second gauge).'),

  // --- Broker metadata (broker-metadata-metrics) -------------------------------------------------------------------
  brokerMetadataLag: kafkaMetric('kafka_server_metadata_last_applied_record_lag_ms', 'GAUGE', 'broker-metadata-metrics', 'last-applied-record-lag-ms', 'Age of the last metadata record this broker applied, in milliseconds.', BROKER),
  brokerMetadataLoadErrors: kafkaMetric('kafka_server_metadata_load_errors_total', 'COUNTER', 'broker-metadata-metrics', 'metadata-load-error-count', 'Errors loading the metadata log on this broker (a count since start).', BROKER),
  brokerMetadataApplyErrors: kafkaMetric('kafka_server_metadata_apply_errors_total', 'COUNTER', 'broker-metadata-metrics', 'metadata-apply-error-count', 'Errors applying metadata images on this broker (a count since start).', BROKER),
  metadataVersion: yammerGauge('kafka_server_metadata_version', 'kafka.server', 'MetadataLoader', 'CurrentMetadataVersion', 'Feature level of the effective metadata.version.', BOTH),

  // --- Per partition (opt-in) --------------------------------------------------------------------------------------
  partitionLogSize: {
    name: 'kafka_log_partition_size_bytes',
    type: 'GAUGE',
    help: 'Size of a partition replica on disk, in bytes.',
    roles: BROKER,
    pattern: `kafka.log<type=Log, name=Size, topic=${TOPIC}, partition=([0-9]+)><>Value`,
    labels: { topic: '$1', partition: '$2' },
    perPartition: true,
  },
  partitionLogEndOffset: {
    name: 'kafka_log_partition_log_end_offset',
    type: 'GAUGE',
    help: 'Last offset of a partition replica.',
    roles: BROKER,
    pattern: `kafka.log<type=Log, name=LogEndOffset, topic=${TOPIC}, partition=([0-9]+)><>Value`,
    labels: { topic: '$1', partition: '$2' },
    perPartition: true,
  },
} satisfies Record<string, CatalogueMetric>;

/** The key of a catalogue metric, e.g. `underReplicatedPartitions`. */
export type MetricKey = keyof typeof METRICS;

/** Every catalogue entry, in a stable order (the order of `METRICS`). */
export function catalogueMetrics(): CatalogueMetric[] {
  return Object.values(METRICS);
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Metrics that are not produced by our exporter rules, by the exporter that produces them. Alerts and dashboards may
 * use these names; the consistency test accepts nothing else.
 */
export const EXTERNAL_METRICS = {
  /** The JMX exporter agent's own JVM collector (Prometheus client_java 1.x), on every Kafka node. */
  jmxExporterJvm: [
    'jvm_memory_used_bytes',
    'jvm_memory_max_bytes',
    'jvm_memory_committed_bytes',
    'jvm_gc_collection_seconds_count',
    'jvm_gc_collection_seconds_sum',
    'jvm_threads_current',
    'jvm_threads_deadlocked',
    'jvm_memory_pool_collection_used_bytes',
    'process_cpu_seconds_total',
    'process_start_time_seconds',
    'process_open_fds',
    'process_max_fds',
  ],
  /** danielqsj/kafka-exporter: consumer-group lag. */
  kafkaExporter: [
    'kafka_consumergroup_lag',
    'kafka_consumergroup_current_offset',
    'kafka_topic_partition_current_offset',
    'kafka_topic_partitions',
    'kafka_brokers',
    'kafka_consumergroup_members',
  ],
  /** Prometheus itself: one `up` per scrape target. */
  prometheus: ['up'],
  /** kubelet volume stats (Kubernetes runtime). */
  kubelet: ['kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_available_bytes'],
  /** node_exporter (VM runtime). */
  nodeExporter: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'],
  /**
   * Written by the VM certificate and log-shipping scripts into node_exporter's textfile directory (see
   * node-exporter.ts): Kafka has no certificate metric, and VM certificates renew only at a restart.
   */
  vmTextfile: [VM_CERTIFICATE_EXPIRY_METRIC, VM_CERTIFICATE_RENEWAL_FAILED_METRIC, VM_LOG_SHIPPING_FAILED_METRIC],
  /** kube-state-metrics (Kubernetes runtime): container restarts and waiting reasons. */
  kubeStateMetrics: ['kube_pod_container_status_restarts_total', 'kube_pod_container_status_waiting_reason'],
  /** cAdvisor (Kubernetes runtime). */
  cadvisor: ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes'],
  /** cert-manager's controller. */
  certManager: ['certmanager_certificate_expiration_timestamp_seconds', 'certmanager_certificate_ready_status'],
} as const;

/**
 * Gauges of other exporters that only ever grow, so `rate()` over them is meaningful: partition offsets (the rate
 * is messages per second). Every other gauge is off limits to rate()/increase() (tested).
 */
export const MONOTONIC_EXTERNAL_GAUGES: readonly string[] = ['kafka_consumergroup_current_offset', 'kafka_topic_partition_current_offset'];
