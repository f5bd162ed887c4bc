import type { ClusterModel } from '../model/cluster-model';
import type { KafkaNode } from '../model/topology';
import type { AlertSeverity } from '../spec/monitoring';
import { EXPORTERS, PER_NODE, TARGET_LABELS, clusterMatchers, jmxTargetMatchers } from './target-labels';

/** Input series of a promtool unit test: `series` in PromQL selector syntax, `values` in promtool's expanding notation. */
export interface TestSeries {
  /** The series with its labels, e.g. `kafka_server_replicamanager_underreplicatedpartitions{node_id="100"}`. */
  readonly series: string;
  /** One sample per minute in promtool's notation, e.g. `0 0 5x10` or `1+1x30`. */
  readonly values: string;
}

/** One evaluation of one alert in a promtool unit test. */
export interface AlertTestCase {
  /** The input series of the test. */
  readonly series: readonly TestSeries[];
  /** When to evaluate, e.g. `15m` (series start at 0 and are sampled every minute). */
  readonly evalTime: string;
  /** The labels of each alert expected to fire (severity and rule labels are added); empty = nothing fires. */
  readonly expect: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** A further unit test of an alert, for a scenario the firing and silent cases do not cover (e.g. a rolling restart). */
export interface NamedAlertTestCase extends AlertTestCase {
  /** Completes the test name `<alert> <name>`, e.g. `stays silent during a one-at-a-time roll`. */
  readonly name: string;
}

/** A generated alert, with the unit tests that prove it fires when it should and only then. */
export interface AlertDefinition {
  /** Alert name, CamelCase (`KafkaUnderReplicatedPartitions`); also the runbook section's heading. */
  readonly alert: string;
  /** PromQL expression; the alert is pending for every series it returns. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires, as a Prometheus duration (`5m`). */
  readonly for: string;
  /** The `severity` label Alertmanager routes on. */
  readonly severity: AlertSeverity;
  /** Labels added to every alert of this rule (e.g. environment on alerts over kubelet series). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** One line; may use `{{ $labels.<name> }}` only (the unit tests expand it to compare). */
  readonly summary: string;
  /** What the alert means and what to check first; may use `{{ $labels.<name> }}` and `{{ $value }}`. */
  readonly description: string;
  /** The promtool test in which the alert must fire. */
  readonly firing: AlertTestCase;
  /** The promtool test of a near miss in which the alert must stay silent. */
  readonly quiet: AlertTestCase;
  /** More scenarios, each its own promtool test. @default [] */
  readonly scenarios?: readonly NamedAlertTestCase[];
}

/** A named group of the rule file. */
export interface AlertGroup {
  /** Group name in the rule file, e.g. `kafka-availability`. */
  readonly name: string;
  /** The group's alerts, in rule-file order. */
  readonly alerts: readonly AlertDefinition[];
}

/** Anchor of an alert's runbook section in docs/monitoring.md (GitHub's heading anchor: lower case). */
export function runbookAnchor(alert: string): string {
  return `docs/monitoring.md#${alert.toLowerCase()}`;
}

/** An input series of a promtool unit test: `metric{label="value",...}` with its expanding values. */
export function testSeries(metric: string, labels: Readonly<Record<string, string>>, values: string): TestSeries {
  return { series: `${metric}{${Object.entries(labels).map(([key, value]) => `${key}="${value}"`).join(',')}}`, values };
}

/** What every alert builder of one cluster needs: matchers, labels of the test nodes, series helpers. */
export interface AlertContext {
  readonly model: ClusterModel;
  /** Matchers of the cluster's series. */
  readonly S: string;
  /** Matchers of the cluster's JMX exporter targets (JVM, process and `up` series of the Kafka JVMs). */
  readonly JMX: string;
  readonly broker: KafkaNode;
  readonly controller: KafkaNode;
  readonly clusterLabels: Readonly<Record<string, string>>;
  nodeLabels(node: KafkaNode): Record<string, string>;
  /** A test series of `metric` on `node` (its target labels plus `extra`). */
  onNode(metric: string, node: KafkaNode, values: string, extra?: Readonly<Record<string, string>>): TestSeries;
  /** A test series of a JVM-side metric of `node` (target labels with `exporter="jmx"`). */
  onJvm(metric: string, node: KafkaNode, values: string, extra?: Readonly<Record<string, string>>): TestSeries;
  /** `up` of one exporter of `node`. */
  up(node: KafkaNode, values: string, exporter?: string): TestSeries;
  /** An alert on a per-node gauge of the catalogue: `max by (node) (metric) <comparison>`. */
  perNodeGauge(
    alert: string,
    metric: string,
    node: KafkaNode,
    comparison: string,
    bad: string,
    good: string,
    rest: Pick<AlertDefinition, 'for' | 'severity' | 'summary' | 'description'>,
    evalTime?: string,
  ): AlertDefinition;
  /** `role N (zone z)` template for summaries. */
  readonly nodeTemplate: string;
}

export function alertContext(model: ClusterModel): AlertContext {
  const spec = model.spec;
  const S = clusterMatchers(spec);
  const nodeLabels = (node: KafkaNode) => ({
    environment: spec.name,
    cluster: spec.kafka.clusterName,
    role: node.role,
    zone: node.zone,
    node_id: String(node.nodeId),
  });
  const onNode = (metric: string, node: KafkaNode, values: string, extra: Readonly<Record<string, string>> = {}) =>
    testSeries(metric, { ...nodeLabels(node), ...extra }, values);
  const onJvm = (metric: string, node: KafkaNode, values: string, extra: Readonly<Record<string, string>> = {}) =>
    onNode(metric, node, values, { [TARGET_LABELS.exporter]: EXPORTERS.jmx, ...extra });
  return {
    model,
    S,
    JMX: jmxTargetMatchers(spec),
    broker: model.brokers[0],
    controller: model.controllers[0],
    clusterLabels: { environment: spec.name, cluster: spec.kafka.clusterName },
    nodeLabels,
    onNode,
    onJvm,
    up: (node, values, exporter = EXPORTERS.jmx) => onNode('up', node, values, { [TARGET_LABELS.exporter]: exporter }),
    perNodeGauge: (alert, metric, node, comparison, bad, good, rest, evalTime = '20m') => ({
      alert,
      expr: `max by (${PER_NODE}) (${metric}{${S}}) ${comparison}`,
      ...rest,
      firing: { series: [onNode(metric, node, bad)], evalTime, expect: [nodeLabels(node)] },
      quiet: { series: [onNode(metric, node, good)], evalTime, expect: [] },
    }),
    nodeTemplate: '{{ $labels.role }} {{ $labels.node_id }} (zone {{ $labels.zone }})',
  };
}
