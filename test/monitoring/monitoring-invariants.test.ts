import { spawnSync } from 'node:child_process';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { promqlSyntaxProblem } from '../../constructs/kafka/monitoring/promql';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { describeWithValidator } from '../support/validators';

const alert = (overrides: Record<string, unknown>) => ({ alert: 'MyAlert', expr: 'up == 0', severity: 'warning', summary: 's', description: 'd', ...overrides });

function problemsOf(change: (draft: any) => void, base = aThreeZoneProdSpec()): string[] {
  return checkEnvironment(withChange(base, change)).problems.map(formatProblem);
}

describe('monitoring validation', () => {
  it('accepts the fixtures and well-formed custom rules', () => {
    expect(problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, extraAlerts: [alert({})], extraRecordingRules: [{ record: 'a:b:rate5m', expr: 'rate(x_total[5m])' }] }))).toEqual([]);
  });

  it('rejects an unknown severity, naming the allowed ones', () => {
    expect(problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, extraAlerts: [alert({ severity: 'page' })] }))).toEqual([
      'prod: monitoring.extraAlerts[0].severity = "page", is not a known severity; use one of "critical", "warning", "info"',
    ]);
  });

  it('rejects PromQL that does not parse, with its path and value', () => {
    const problems = problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, extraAlerts: [alert({ expr: 'sum(rate(x_total[5m]) > 1' })] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^prod: monitoring\.extraAlerts\[0\]\.expr = "sum\(rate\(x_total\[5m\]\) > 1", is not valid PromQL: it is missing "\)"/);
  });

  it('rejects out-of-range alert thresholds, naming each field and value', () => {
    const problems = problemsOf(
      (draft) => (draft.monitoring = { ...draft.monitoring, thresholds: { produceLatencyP99Ms: 0, fetchLatencyP99Ms: 1.5, failedAuthenticationsPerSecond: -1, fileDescriptorUsagePercent: 100 } }),
    );
    expect(problems).toHaveLength(4);
    for (const [field, value] of [['produceLatencyP99Ms', '0'], ['fetchLatencyP99Ms', '1.5'], ['failedAuthenticationsPerSecond', '-1'], ['fileDescriptorUsagePercent', '100']]) {
      expect(problems.some((problem) => problem.startsWith(`prod: monitoring.thresholds.${field} = ${value},`))).toBe(true);
    }
  });

  it('rejects a name that shadows a generated alert, and duplicates', () => {
    const problems = problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, extraAlerts: [alert({ alert: 'KafkaOfflinePartitions' }), alert({}), alert({})] }));
    expect(problems).toEqual([
      'prod: monitoring.extraAlerts[0].alert = "KafkaOfflinePartitions", is already the name of a generated alert; choose another name',
      'prod: monitoring.extraAlerts[2].alert = "MyAlert", is also the name of monitoring.extraAlerts[1]',
    ]);
  });

  it('rejects options that do not fit the runtime or each other', () => {
    expect(problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, prometheus: { deploy: true }, grafana: { deploy: true } }), aVmStagingSpec())).toEqual([
      'staging: monitoring.prometheus.deploy = true, is only available on the kubernetes runtime; VM environments ship a scrape config for an existing Prometheus',
      'staging: monitoring.grafana.deploy = true, is only available on the kubernetes runtime',
    ]);
    expect(problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, jmxExporter: { jarPath: '/opt/agent.jar' } }))).toEqual([
      'prod: monitoring.jmxExporter.image is missing, required in production: a mirror image carrying the JMX exporter jar (with jarPath), so that no Kafka pod depends on the internet to start',
      'prod: monitoring.jmxExporter.jarPath = "/opt/agent.jar", needs monitoring.jmxExporter.image (the mirror image that contains the jar)',
    ]);
    expect(problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, grafana: { deploy: true } }))).toEqual([
      'prod: monitoring.grafana.prometheusUrl is missing, is required when Grafana is deployed without the bundled Prometheus (monitoring.prometheus.deploy)',
    ]);
    expect(problemsOf((draft) => (draft.kafka.listeners = { client: { authentication: 'mtls' } }))).toEqual([
      expect.stringMatching(/^prod: monitoring\.kafkaExporter\.enabled = true, needs a SCRAM-SHA-512/),
    ]);
  });

  it('rejects schema-level mistakes with the field path', () => {
    const problems = problemsOf((draft) => (draft.monitoring = { ...draft.monitoring, thresholds: { diskUsagePercent: 120 }, extraAlerts: [alert({ for: 'soon' })] }), aSingleZoneDevSpec());
    expect(problems).toEqual([
      expect.stringMatching(/^dev: monitoring\.thresholds\.diskUsagePercent = 120, /),
      'dev: monitoring.extraAlerts[0].for = "soon", must be a Prometheus duration such as 5m or 1h30m',
    ]);
  });
});

describe('PromQL parse check without promtool', () => {
  it.each([
    ['up == 0', undefined],
    ['sum by (a) (rate(x_total{job="a)"}[5m]))', undefined],
    ['-1 * up', undefined],
    ['', 'is empty'],
    ['sum(up', 'is missing ")" at the end'],
    ['up{job="a"', 'is missing "}" at the end'],
    ['rate(x[5m]))', 'has an unbalanced ")" at character 12'],
    ['up{job="a}', 'has an unterminated string starting at character 8'],
    ['up >', 'ends with an operator'],
    ['and up', 'starts with an operator'],
  ])('%j → %s', (expr, expected) => {
    expect(promqlSyntaxProblem(expr)).toBe(expected);
  });
});

describeWithValidator(
  'custom PromQL checked by promtool',
  spawnSync('promtool', ['--version']).status === 0 ? undefined : 'promtool is not installed (Debian package prometheus)',
  () => {
    it('reports what only a real parser finds, on the right rule', () => {
      const problems = problemsOf(
        (draft) =>
          (draft.monitoring = { ...draft.monitoring,
            extraAlerts: [alert({}), alert({ alert: 'Second', expr: 'rate(up[5m] offset)' })],
            extraRecordingRules: [{ record: 'a:b', expr: 'rate(up)' }],
          }),
      );
      expect(problems).toEqual([
        expect.stringMatching(/^prod: monitoring\.extraAlerts\[1\]\.expr = "rate\(up\[5m\] offset\)", is rejected by promtool: could not parse expression/),
        expect.stringMatching(/^prod: monitoring\.extraRecordingRules\[0\]\.expr = "rate\(up\)", is rejected by promtool: could not parse expression: .*range vector/),
      ]);
    });
  },
);
