import { stringify } from 'yaml';
import type { ResolvedSpec } from '../spec/environment-spec';
import { type CatalogueMetric, catalogueMetrics } from './metric-catalogue';

/** One rule of the jmx_exporter config, in the exporter's own field names. */
export interface JmxExporterRule {
  readonly pattern: string;
  readonly name: string;
  readonly type: 'COUNTER' | 'GAUGE';
  readonly help: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly valueFactor?: number;
  readonly value?: string;
}

/** The jmx_exporter config document (`dist/<env>/monitoring/jmx-exporter.yaml`). */
export interface JmxExporterConfig {
  readonly lowercaseOutputName: boolean;
  readonly lowercaseOutputLabelNames: boolean;
  /** Only these MBean domains are read at all: the JVM's own beans cost nothing when not queried. */
  readonly includeObjectNames: readonly string[];
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

/** The rules file as YAML: the bytes in `dist/<env>/monitoring/jmx-exporter.yaml` and in the ConfigMap. */
export function renderJmxExporterConfig(spec: ResolvedSpec): string {
  const text = stringify(jmxExporterConfig(spec), { lineWidth: 0 });
  return (
    '# Prometheus JMX exporter rules, generated from constructs/kafka/monitoring/metric-catalogue.ts.\n' +
    '# Loaded by every controller and broker: -javaagent:<jar>=<port>:<this file>.\n' +
    text.replace(/^(\s*valueFactor: )(-?\d+(?:\.\d+)?e[-+]?\d+)$/gm, (_, key: string, value: string) => key + yaml11Decimal(Number(value)))
  );
}

/**
 * JavaScript prints 1e-9 in exponent form without a decimal point, which the exporter's YAML 1.1 parser
 * (SnakeYAML) reads as a string, failing the rule. Plain decimal notation is a float in every YAML version.
 */
function yaml11Decimal(value: number): string {
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '.0');
}
