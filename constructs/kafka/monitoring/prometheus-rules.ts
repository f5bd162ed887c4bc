import { stringify } from 'yaml';
import type { ClusterModel } from '../model/cluster-model';
import { type AlertDefinition, alertGroups, runbookAnchor } from './alert-rules';

/** One rule in Prometheus' rule-file format. */
export type PrometheusRule =
  | {
      readonly alert: string;
      readonly expr: string;
      readonly for?: string;
      readonly labels: Readonly<Record<string, string>>;
      readonly annotations: Readonly<Record<string, string>>;
    }
  | { readonly record: string; readonly expr: string };

/** A group of the rule file (`groups:` of `prometheus-rules.yaml` and of the PrometheusRule), as Prometheus spells it. */
export interface PrometheusRuleGroup {
  /** Group name, unique in the file. */
  readonly name: string;
  /** Alerting and recording rules of the group, evaluated in order. */
  readonly rules: readonly PrometheusRule[];
}

/** Name of the group holding the spec's own alerts and recording rules. */
export const CUSTOM_GROUP = 'kafka-custom';

/** The annotations of a generated alert, as Prometheus will template them. */
export function alertAnnotations(alert: AlertDefinition): Record<string, string> {
  return { summary: alert.summary, description: alert.description, runbook: runbookAnchor(alert.alert) };
}

/** The labels of a generated alert's rule. */
export function alertLabels(alert: AlertDefinition): Record<string, string> {
  return { severity: alert.severity, ...(alert.labels ?? {}) };
}

/**
 * Every alert and recording rule of one cluster: the generated groups, then the spec's `extraAlerts` and
 * `extraRecordingRules` in a group of their own. The same groups feed the PrometheusRule object and the plain file.
 */
export function prometheusRuleGroups(model: ClusterModel): PrometheusRuleGroup[] {
  const groups: PrometheusRuleGroup[] = alertGroups(model).map((group) => ({
    name: group.name,
    rules: group.alerts.map((alert) => ({
      alert: alert.alert,
      expr: alert.expr,
      for: alert.for,
      labels: alertLabels(alert),
      annotations: alertAnnotations(alert),
    })),
  }));
  const { extraAlerts, extraRecordingRules } = model.spec.monitoring;
  if (extraAlerts.length + extraRecordingRules.length > 0) {
    groups.push({
      name: CUSTOM_GROUP,
      rules: [
        ...extraRecordingRules.map((rule) => ({ record: rule.record, expr: rule.expr })),
        ...extraAlerts.map((alert) => ({
          alert: alert.alert,
          expr: alert.expr,
          for: alert.for,
          labels: { severity: alert.severity },
          annotations: {
            summary: alert.summary,
            description: alert.description,
            ...(alert.runbookUrl ? { runbook_url: alert.runbookUrl } : {}),
          },
        })),
      ],
    });
  }
  return groups;
}

/**
 * The whole rule file per model: synthesis puts the same text in `dist/<env>/monitoring/` and in the bundled
 * Prometheus's ConfigMap (the model is immutable, so the same model gives the same text).
 */
const renderedRules = new WeakMap<ClusterModel, string>();

/** `dist/<env>/monitoring/prometheus-rules.yaml`: the plain rule file (`promtool check rules` input); optionally some groups only. */
export function renderPrometheusRules(model: ClusterModel, onlyGroups?: readonly string[]): string {
  const cached = onlyGroups ? undefined : renderedRules.get(model);
  if (cached !== undefined) return cached;
  const groups = prometheusRuleGroups(model).filter((group) => !onlyGroups || onlyGroups.includes(group.name));
  const text =
    '# Alert and recording rules, generated from constructs/kafka/monitoring/alert-rules.ts.\n' +
    '# Runbooks: docs/monitoring.md. Unit tests: test/monitoring/promtool.test.ts.\n' +
    stringify({ groups }, { lineWidth: 0 });
  if (!onlyGroups) renderedRules.set(model, text);
  return text;
}

/** Expands the `{{ $labels.x }}` templates the generated annotations use (for unit-test expectations). */
export function expandLabelTemplates(text: string, labels: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, name: string) => labels[name] ?? '');
}

/**
 * A promtool unit-test file for the rule file at `ruleFile`: for every generated alert one test where it fires
 * (with its exact labels and annotations) and one where it stays silent. `onlyGroups` restricts both to some
 * groups: promtool evaluates every rule of the file at every step, so per-group files test much faster.
 */
export function renderAlertUnitTests(model: ClusterModel, ruleFile: string, onlyGroups?: readonly string[]): string {
  const groups = alertGroups(model).filter((group) => !onlyGroups || onlyGroups.includes(group.name));
  const tests = groups.flatMap((group) =>
    group.alerts.flatMap((alert) =>
      [
        { name: 'fires', ...alert.firing },
        { name: 'stays silent', ...alert.quiet },
        ...(alert.scenarios ?? []),
      ].map((testCase) => ({
        name: `${alert.alert} ${testCase.name}`,
        interval: '1m',
        input_series: testCase.series.map((series) => ({ series: series.series, values: series.values })),
        alert_rule_test: [
          {
            eval_time: testCase.evalTime,
            alertname: alert.alert,
            exp_alerts: testCase.expect.map((labels) => {
              const all = { ...labels, ...alertLabels(alert) };
              const annotations = Object.fromEntries(
                Object.entries(alertAnnotations(alert)).map(([key, value]) => [key, expandLabelTemplates(value, all)]),
              );
              return { exp_labels: all, exp_annotations: annotations };
            }),
          },
        ],
      })),
    ),
  );
  return stringify({ rule_files: [ruleFile], evaluation_interval: '1m', tests }, { lineWidth: 0 });
}
