import { z } from 'zod';
import { port } from './common';
import { imageReference, labels } from './kubernetes-names';

/** Severities an alert may carry; Alertmanager routes on them. */
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

const imageRef = imageReference;

const durationString = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'must be a Prometheus duration such as 5m or 1h30m');

/** A user-written alert added to the generated ones. Its PromQL is checked at synth. */
const extraAlertSchema = z.strictObject({
  /** Alert name, CamelCase as Prometheus convention has it. */
  alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a Prometheus alert name (letters, digits, _)'),
  /** PromQL expression; the alert fires for every series it returns. */
  expr: z.string().min(1),
  /** How long the expression must hold before firing. @default '5m' */
  for: durationString.default('5m'),
  /** Severity label (checked against ALERT_SEVERITIES by the monitoring invariants, so the message lists them). */
  severity: z.string(),
  /** One-line `summary` annotation: what is wrong, shown in alert lists and notifications. */
  summary: z.string().min(1),
  /** `description` annotation: what it means and what to check; may use `{{ $labels.x }}` and `{{ $value }}`. */
  description: z.string().min(1),
  /** Link to the team's runbook for this alert. @default - none */
  runbookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});
export type ExtraAlertSpec = z.output<typeof extraAlertSchema>;

/** A user-written recording rule. */
const extraRecordingRuleSchema = z.strictObject({
  /** Name of the recorded series (`level:metric:operations`). */
  record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name'),
  /** PromQL expression whose result is stored under `record` at every evaluation. */
  expr: z.string().min(1),
});

/** Thresholds of the generated alerts; defaults follow Kafka's operations guide and common practice. */
const thresholdsSchema = z.strictObject({
  /** Disk usage of a data or metadata volume that raises a warning, in percent. @default 80 */
  diskUsagePercent: z.number().min(1).max(99).default(80),
  /** Request-handler / network-processor average idle ratio below which brokers are saturated. @default 0.3 */
  minIdleRatio: z.number().gt(0).lt(1).default(0.3),
  /** Heap usage after GC that counts as pressure, in percent of max heap. @default 85 */
  heapUsagePercent: z.number().min(1).max(99).default(85),
  /** Days before a certificate expires that raises a warning. @default 14 */
  certificateExpiryDays: z.number().int().min(1).max(90).default(14),
  /** Consumer-group lag (messages) above which growing lag alerts. @default 1000 */
  consumerLagMessages: z.number().int().min(1).default(1000),
  /** p99 of the total time of Produce requests on a broker above which latency alerts, in ms. @default 1000 */
  produceLatencyP99Ms: z.number().int().min(1).default(1000),
  /**
   * p99 of the total time of consumer Fetch requests above which latency alerts, in ms. Includes the consumers'
   * `fetch.max.wait.ms` (500 by default): raise it if your consumers wait longer. @default 2000
   */
  fetchLatencyP99Ms: z.number().int().min(1).default(2000),
  /** Failed authentications per second on one listener of one node that count as a spike. @default 1 */
  failedAuthenticationsPerSecond: z.number().gt(0).default(1),
  /** Open file descriptors of a Kafka JVM, in percent of its limit, that raise a warning. @default 80 */
  fileDescriptorUsagePercent: z.number().min(1).max(99).default(80),
});

/** Metrics, alerts and dashboards. */
export const monitoringSchema = z
  .strictObject({
    /** Run the JMX exporter agent and emit scrape targets, alerts and dashboards. @default true */
    enabled: z.boolean().default(true),
    /** Port the JMX exporter serves metrics on. @default 9404 */
    jmxExporterPort: port.default(9404),
    /**
     * Where the init container gets the JMX exporter jar; production requires a mirror `image`.
     * @default - curl downloads the pinned jar from Maven Central (TLS verified) and checks its SHA-256
     */
    jmxExporter: z
      .strictObject({
        /** A mirror image containing the jar (air-gapped clusters; required in production). @default - curl, downloading */
        image: imageRef.optional(),
        /** Path of the jar inside `image`; required with `image`. @default - none */
        // Reaches the init container's shell command: plain path characters only.
        jarPath: z.string().max(1024).regex(/^(\/[A-Za-z0-9._-]+)+\.jar$/, 'must be an absolute path to a .jar of A-Z, a-z, 0-9, ".", "_", "-"').optional(),
      })
      .prefault({}),
    /**
     * Export per-partition series (log size, offsets, under-replicated per partition). Thousands of series per broker
     * on big clusters, so off by default. @default false
     */
    partitionMetrics: z.boolean().default(false),
    /** Emit Prometheus Operator objects (PodMonitor, PrometheusRule). @default - enabled, no selector labels */
    prometheusOperator: z
      .strictObject({
        /** Emit the PodMonitors and the PrometheusRule (needs the operator's CRDs in the cluster). @default true */
        enabled: z.boolean().default(true),
        /** Labels the operator's `podMonitorSelector`/`ruleSelector` match, e.g. `{ release: 'kube-prometheus-stack' }`. @default {} */
        selectorLabels: labels.default(() => ({})),
      })
      .prefault({}),
    /**
     * Consumer-lag exporter (danielqsj/kafka-exporter) as its own least-privilege SCRAM user `kafka-exporter`.
     * @default - deployed, image `danielqsj/kafka-exporter:v1.9.0`
     */
    kafkaExporter: z
      .strictObject({
        /** Deploy kafka-exporter (and its user, ACLs and scrape target). @default true */
        enabled: z.boolean().default(true),
        /** Container image of kafka-exporter; pin a digest in production. @default 'danielqsj/kafka-exporter:v1.9.0' */
        image: imageRef.default('danielqsj/kafka-exporter:v1.9.0'),
      })
      .prefault({}),
    /**
     * A self-contained Prometheus + Alertmanager, for Kubernetes clusters without the Prometheus Operator.
     * @default - not deployed
     */
    prometheus: z
      .strictObject({
        /** Deploy the bundled Prometheus and Alertmanager (Kubernetes only). @default false */
        deploy: z.boolean().default(false),
        /** Container image of Prometheus. @default 'quay.io/prometheus/prometheus:v3.5.0' */
        image: imageRef.default('quay.io/prometheus/prometheus:v3.5.0'),
        /** Container image of Alertmanager. @default 'quay.io/prometheus/alertmanager:v0.28.1' */
        alertmanagerImage: imageRef.default('quay.io/prometheus/alertmanager:v0.28.1'),
        /** How long Prometheus keeps samples. @default '15d' */
        retention: durationString.default('15d'),
        /** Size of the Prometheus data volume in GiB. @default 50 */
        storageGiB: z.number().int().min(1).default(50),
      })
      .prefault({}),
    /** A Grafana with the Prometheus datasource and the dashboards provisioned, for clusters without one. @default - not deployed */
    grafana: z
      .strictObject({
        /** Deploy the bundled Grafana (Kubernetes only). @default false */
        deploy: z.boolean().default(false),
        /** Container image of Grafana. @default 'docker.io/grafana/grafana:12.1.1' */
        image: imageRef.default('docker.io/grafana/grafana:12.1.1'),
        /** Prometheus URL the provisioned datasource points at. @default - the bundled Prometheus when deployed */
        prometheusUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      })
      .prefault({}),
    /** Thresholds of the generated alerts. @default - each threshold's own default */
    thresholds: thresholdsSchema.prefault({}),
    /** Alerts added to the generated ones (checked with promtool when installed, parse-checked otherwise). @default [] */
    extraAlerts: z.array(extraAlertSchema).default(() => []),
    /** Recording rules added to the generated ones. @default [] */
    extraRecordingRules: z.array(extraRecordingRuleSchema).default(() => []),
  })
  .prefault({});
