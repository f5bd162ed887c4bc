import type { ResolvedSpec } from '../spec/environment-spec';
import { buildClusterModel } from '../model/cluster-model';
import { alertGroups } from '../monitoring/alert-rules';
import { type RuleToCheck, promqlSyntaxProblem, promtoolProblems } from '../monitoring/promql';
import type { Problem } from './problems';
import { ALERT_SEVERITIES } from '../spec/monitoring';

/**
 * Cross-field rules of `monitoring`. User-written PromQL (extraAlerts, extraRecordingRules) is checked with promtool
 * when it is installed (one process for all of an environment's rules, only when there are any, so synth stays
 * fast) and with a structural parse check otherwise, so a typo fails synth instead of failing in Prometheus.
 */
export function monitoringProblems(spec: ResolvedSpec): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, value: unknown, message: string) => problems.push({ environment: spec.name, path, value, message });
  const monitoring = spec.monitoring;

  if (monitoring.jmxExporter.jarPath && !monitoring.jmxExporter.image) {
    report('monitoring.jmxExporter.jarPath', monitoring.jmxExporter.jarPath, 'needs monitoring.jmxExporter.image (the mirror image that contains the jar)');
  }
  if (spec.runtime.kind !== 'kubernetes') {
    if (monitoring.prometheus.deploy) report('monitoring.prometheus.deploy', true, 'is only available on the kubernetes runtime; VM environments ship a scrape config for an existing Prometheus');
    if (monitoring.grafana.deploy) report('monitoring.grafana.deploy', true, 'is only available on the kubernetes runtime');
  }
  if (!monitoring.enabled && (monitoring.prometheus.deploy || monitoring.grafana.deploy)) {
    report('monitoring.enabled', false, 'must be true when monitoring.prometheus.deploy or monitoring.grafana.deploy is');
  }
  if (monitoring.enabled && monitoring.kafkaExporter.enabled && spec.kafka.listeners.client.authentication === 'mtls') {
    report(
      'monitoring.kafkaExporter.enabled',
      true,
      'needs a SCRAM-SHA-512 (or, in dev, unauthenticated) client listener: kafka-exporter authenticates with its SCRAM user; set it to false with an mTLS client listener',
    );
  }
  if (monitoring.grafana.deploy && !monitoring.grafana.prometheusUrl && !monitoring.prometheus.deploy) {
    report('monitoring.grafana.prometheusUrl', undefined, 'is required when Grafana is deployed without the bundled Prometheus (monitoring.prometheus.deploy)');
  }

  // User-written rules.
  const generated = new Set<string>();
  const toCheck: RuleToCheck[] = [];
  const seen = new Map<string, string>();
  if (problems.length === 0 && monitoring.extraAlerts.length > 0) {
    try {
      for (const group of alertGroups(buildClusterModel(spec))) for (const alert of group.alerts) generated.add(alert.alert);
    } catch {
      // An inconsistent topology cannot be modelled; the topology invariants report why.
    }
  }
  monitoring.extraAlerts.forEach((alert, index) => {
    const path = `monitoring.extraAlerts[${index}]`;
    if (!(ALERT_SEVERITIES as readonly string[]).includes(alert.severity)) {
      report(`${path}.severity`, alert.severity, `is not a known severity; use one of ${ALERT_SEVERITIES.map((s) => JSON.stringify(s)).join(', ')}`);
    }
    if (generated.has(alert.alert)) report(`${path}.alert`, alert.alert, 'is already the name of a generated alert; choose another name');
    const other = seen.get(alert.alert);
    if (other) report(`${path}.alert`, alert.alert, `is also the name of ${other}`);
    seen.set(alert.alert, path);
    const syntax = promqlSyntaxProblem(alert.expr);
    if (syntax) report(`${path}.expr`, alert.expr, `is not valid PromQL: it ${syntax}`);
    else toCheck.push({ path: `${path}.expr`, rule: { alert: alert.alert, expr: alert.expr, for: alert.for } });
  });
  monitoring.extraRecordingRules.forEach((rule, index) => {
    const path = `monitoring.extraRecordingRules[${index}].expr`;
    const syntax = promqlSyntaxProblem(rule.expr);
    if (syntax) report(path, rule.expr, `is not valid PromQL: it ${syntax}`);
    else toCheck.push({ path, rule: { record: rule.record, expr: rule.expr } });
  });
  for (const [path, message] of promtoolProblems(toCheck)) {
    const value = path.startsWith('monitoring.extraAlerts')
      ? monitoring.extraAlerts[Number(/\[(\d+)\]/.exec(path)?.[1])].expr
      : monitoring.extraRecordingRules[Number(/\[(\d+)\]/.exec(path)?.[1])].expr;
    report(path, value, `is rejected by promtool: ${message}`);
  }
  return problems;
}
