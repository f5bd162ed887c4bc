import type { KafkaNode } from '../model/topology';
import type { AlertContext, AlertDefinition } from './alert-definition';
import { METRICS } from './metric-catalogue';
import { PER_CLUSTER, PER_NODE } from './target-labels';

/**
 * KRaft alerts: the active controller, the quorum leader and its metadata log, the voters the spec declares, and
 * the controller's own error and timeout counters (QuorumControllerMetrics, ControllerMetadataMetrics,
 * BrokerServerMetrics, raft-metrics).
 */
export function quorumAlerts(ctx: AlertContext): AlertDefinition[] {
  const { S, model, broker, controller, onNode, perNodeGauge, nodeLabels, clusterLabels, nodeTemplate: node } = ctx;
  const voters = model.controllers.length;
  const activeSeries = (activeIndex: number) =>
    model.controllers.map((each, index) => onNode(METRICS.activeControllers.name, each, index === activeIndex ? '1x15' : '0x15'));
  const votersSeries = (values: string) => model.controllers.map((each, index) => onNode(METRICS.raftVoters.name, each, index === 0 ? values : `${voters}x30`));
  /** An event counter that must not grow: fires for the window after any increase. */
  const countsEvents = (alert: string, metric: string, by: string, on: KafkaNode, window: string, rest: Pick<AlertDefinition, 'severity' | 'summary' | 'description'>): AlertDefinition => ({
    alert,
    expr: `sum by (${by}) (increase(${metric}{${S}}[${window}])) > 0`,
    for: '0m',
    ...rest,
    firing: { series: [onNode(metric, on, '0x5 1x20')], evalTime: '8m', expect: [by === PER_NODE ? nodeLabels(on) : clusterLabels] },
    quiet: { series: [onNode(metric, on, '3x20')], evalTime: '8m', expect: [] },
  });
  return [
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
    countsEvents('KafkaControllerMetadataErrors', METRICS.metadataErrors.name, PER_NODE, controller, '15m', {
      severity: 'critical',
      summary: `${node} hit errors processing the metadata log`,
      description: 'MetadataErrorCount grew: this controller failed to replay or apply metadata records, so its view of the cluster may be wrong. Read its log before it becomes active.',
    }),
    {
      alert: 'KafkaBrokerMetadataErrors',
      expr:
        `sum by (${PER_NODE}) (increase(${METRICS.brokerMetadataLoadErrors.name}{${S}}[15m]))` +
        ` + sum by (${PER_NODE}) (increase(${METRICS.brokerMetadataApplyErrors.name}{${S}}[15m])) > 0`,
      for: '0m',
      severity: 'warning',
      summary: `${node} failed to load or apply cluster metadata`,
      description: 'The broker could not build or publish a metadata image (metadata-load-error-count / metadata-apply-error-count grew): it may serve stale leaders, ISRs or ACLs.',
      firing: {
        series: [onNode(METRICS.brokerMetadataLoadErrors.name, broker, '0x20'), onNode(METRICS.brokerMetadataApplyErrors.name, broker, '0x5 2x15')],
        evalTime: '8m',
        expect: [nodeLabels(broker)],
      },
      quiet: {
        series: [onNode(METRICS.brokerMetadataLoadErrors.name, broker, '1x20'), onNode(METRICS.brokerMetadataApplyErrors.name, broker, '1x20')],
        evalTime: '8m',
        expect: [],
      },
    },
    countsEvents('KafkaBrokerHeartbeatsTimedOut', METRICS.timedOutBrokerHeartbeats.name, PER_CLUSTER, controller, '10m', {
      severity: 'warning',
      summary: 'The active controller of {{ $labels.cluster }} ({{ $labels.environment }}) timed out broker heartbeats',
      description: 'A broker missed its session (broker.session.timeout.ms) and was fenced: a stalled or partitioned broker, or an overloaded controller.',
    }),
    countsEvents('KafkaControllerEventQueueTimeouts', METRICS.eventQueueOperationsTimedOut.name, PER_CLUSTER, controller, '10m', {
      severity: 'warning',
      summary: 'Controller operations of {{ $labels.cluster }} ({{ $labels.environment }}) timed out in the event queue',
      description: 'Requests to the controller (topic creation, ISR changes, registrations) expired before it ran them: the controller is overloaded or stalled.',
    }),
    {
      alert: 'KafkaControllerElectionChurn',
      expr: `max by (${PER_CLUSTER}) (increase(${METRICS.newActiveControllers.name}{${S}}[1h])) > 3`,
      for: '0m',
      severity: 'warning',
      summary: 'The controller quorum of {{ $labels.cluster }} ({{ $labels.environment }}) elected a new leader more than 3 times in an hour',
      description: 'Each election pauses all metadata changes: controllers keep losing their leader (GC, disk, network between controllers).',
      firing: { series: [onNode(METRICS.newActiveControllers.name, controller, '0+1x70')], evalTime: '65m', expect: [clusterLabels] },
      // A roll of the controllers: a few elections, then quiet.
      quiet: { series: [onNode(METRICS.newActiveControllers.name, controller, '0x10 1x10 2x10 3x40')], evalTime: '65m', expect: [] },
    },
    {
      alert: 'KafkaQuorumVotersMismatch',
      expr:
        `max by (${PER_CLUSTER}) (${METRICS.raftVoters.name}{${S},role="controller"}) != ${voters}` +
        ` or min by (${PER_CLUSTER}) (${METRICS.raftVoters.name}{${S},role="controller"}) != ${voters}`,
      for: '15m',
      severity: 'warning',
      summary: `The KRaft quorum of {{ $labels.cluster }} ({{ $labels.environment }}) does not have the ${voters} voters the spec declares`,
      description: 'A controller was added or removed outside the spec (or a reconfiguration is stuck): fault tolerance differs from what the environment promises.',
      firing: { series: votersSeries(`${voters + 1}x30`), evalTime: '20m', expect: [clusterLabels] },
      quiet: { series: votersSeries(`${voters}x30`), evalTime: '20m', expect: [] },
    },
  ];
}
