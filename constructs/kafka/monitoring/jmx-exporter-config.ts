import { stringify } from 'yaml';
import type { ResolvedSpec } from '../spec/environment-spec';
import { type CatalogueMetric, catalogueMetrics } from './metric-catalogue';

/** One rule of the jmx_exporter config, in the exporter's own field names. */
export interface JmxExporterRule {
  /** Regex over the exporter's `domain<key=value, ...><>attribute` form of each MBean attribute; groups feed `$1`... */
  readonly pattern: string;
  /** Prometheus metric name, from the catalogue; may use the pattern's groups. */
  readonly name: string;
  /** Prometheus metric type the exporter declares. */
  readonly type: 'COUNTER' | 'GAUGE';
  /** HELP text of the metric. */
  readonly help: string;
  /** Labels of the series, values may use the pattern's groups (`topic: "$1"`). @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** Factor the attribute's value is multiplied by, e.g. 0.001 for milliseconds to seconds. @default - 1 (unchanged) */
  readonly valueFactor?: number;
  /** A fixed value (or pattern group) instead of the attribute's, e.g. `1` for an info metric. @default - the attribute's value */
  readonly value?: string;
}

/** The jmx_exporter config document (`dist/<env>/monitoring/jmx-exporter.yaml`). */
export interface JmxExporterConfig {
  /** Whether the exporter lower-cases metric names; false: the rules name every metric exactly as the catalogue does. */
  readonly lowercaseOutputName: boolean;
  /** Whether the exporter lower-cases label names; false, for the same reason. */
  readonly lowercaseOutputLabelNames: boolean;
  /** Only these MBean domains are read at all: the JVM's own beans cost nothing when not queried. */
  readonly includeObjectNames: readonly string[];
  /** The rules, tried in order; the first that matches an attribute wins, and unmatched attributes are not exported. */
  readonly rules: readonly JmxExporterRule[];
}

/**
 * The domains our rules read. Listing them keeps a scrape from walking every MBean of the JVM (thousands on big
 * brokers); the agent's JVM collector does not go through these rules.
 */
const INCLUDED_DOMAINS = ['kafka.server:*', 'kafka.controller:*', 'kafka.network:*', 'kafka.log:*'];

/** Rules for one cluster: every catalogue entry, per-partition ones only when asked for. No catch-all rule. */
export function jmxExporterConfig(spec: ResolvedSpec): JmxExporterConfig {
  const metrics = catalogueMetrics().filter((metric) => !metric.perPartition || spec.monitoring.partitionMetrics);
  return {
    // Names are spelled out in the catalogue; lower-casing would only hide a mismatch with the alerts.
    lowercaseOutputName: false,
    lowercaseOutputLabelNames: false,
    includeObjectNames: INCLUDED_DOMAINS,
    rules: metrics.map(ruleOf),
  };
}

function ruleOf(metric: CatalogueMetric): JmxExporterRule {
  return {
    pattern: metric.pattern,
    name: metric.name,
    type: metric.type,
    help: metric.help,
    ...(metric.labels ? { labels: metric.labels } : {}),
    ...(metric.valueFactor !== undefined ? { valueFactor: metric.valueFactor } : {}),
    ...(metric.value !== undefined ? { value: metric.value } : {}),
  };
}

/**
 * The file depends on `monitoring.partitionMetrics` only, and synth needs it several times per environment (every
 * broker group's config checksum, the ConfigMap, dist/, cloud-init): each of the two variants is rendered once.
 */
const rendered = new Map<boolean, string>();

/** The rules file as YAML: the bytes in `dist/<env>/monitoring/jmx-exporter.yaml` and in the ConfigMap. */
export function renderJmxExporterConfig(spec: ResolvedSpec): string {
  const partitionMetrics = Boolean(spec.monitoring.partitionMetrics);
  const cached = rendered.get(partitionMetrics);
  if (cached !== undefined) return cached;
  const text = stringify(jmxExporterConfig(spec), { lineWidth: 0 });
  const file =
    '# Prometheus JMX exporter rules, generated from constructs/kafka/monitoring/metric-catalogue.ts.\n' +
    '# Loaded by every controller and broker: -javaagent:<jar>=<port>:<this file>.\n' +
    text.replace(/^(\s*valueFactor: )(-?\d+(?:\.\d+)?e[-+]?\d+)$/gm, (_, key: string, value: string) => key + yaml11Decimal(Number(value)));
  rendered.set(partitionMetrics, file);
  return file;
}

/**
 * JavaScript prints 1e-9 in exponent form without a decimal point, which the exporter's YAML 1.1 parser
 * (SnakeYAML) reads as a string, failing the rule. Plain decimal notation is a float in every YAML version.
 */
function yaml11Decimal(value: number): string {
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '.0');
}
