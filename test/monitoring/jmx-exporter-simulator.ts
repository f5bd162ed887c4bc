import type { JmxExporterConfig } from '../../constructs/kafka/monitoring/jmx-exporter-config';

/**
 * The JMX exporter's rule matching, re-implemented for tests from jmx_exporter's JmxCollector: each attribute is
 * presented as `domain<k=v, ...><attrKeys>attribute: value`; rules are tried in order, each compiled as
 * `^.*(?:<pattern>).*$`; the first matching rule decides (even if it then drops the sample); `name` and `labels`
 * are the rule's replacement strings over the match; names are made safe (non [a-zA-Z0-9:_] → `_`, runs of `_`
 * merged); a non-numeric value is dropped unless the rule sets `value`; unmatched attributes are not exported.
 */
export interface ExportedSample {
  readonly name: string;
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly input: string;
}

const safeName = (name: string) => name.replace(/[^a-zA-Z0-9:_]/g, '_').replace(/__+/g, '_');

/** Java's Matcher.replaceAll($n) semantics over a whole-string match. */
function expand(match: RegExpExecArray, replacement: string): string {
  return replacement.replace(/\$(\d)/g, (_, group: string) => match[Number(group)] ?? '');
}

export function applyRules(config: JmxExporterConfig, inputs: readonly string[]): { samples: ExportedSample[]; unmatched: string[] } {
  const rules = config.rules.map((rule) => ({ rule, regex: new RegExp(`^.*(?:${rule.pattern}).*$`) }));
  const samples: ExportedSample[] = [];
  const unmatched: string[] = [];
  for (const input of inputs) {
    const valueText = input.slice(input.lastIndexOf(': ') + 2);
    const hit = rules.map(({ rule, regex }) => ({ rule, match: regex.exec(input) })).find(({ match }) => match !== null);
    if (!hit || !hit.match) {
      unmatched.push(input);
      continue;
    }
    const { rule, match } = hit;
    const raw = rule.value !== undefined ? expand(match, rule.value) : valueText;
    const value = Number(raw);
    if (raw.trim() === '' || Number.isNaN(value)) continue; // jmx_exporter: "Ignoring unsupported bean"
    const name = safeName(expand(match, rule.name));
    const labels = Object.fromEntries(
      Object.entries(rule.labels ?? {})
        .map(([key, template]) => [safeName(expand(match, key)), expand(match, template)])
        .filter(([key, labelValue]) => key !== '' && labelValue !== ''),
    );
    samples.push({ name, type: rule.type, labels, value: value * (rule.valueFactor ?? 1), input });
  }
  return { samples, unmatched };
}

/**
 * The name Prometheus stores for a sample: jmx_exporter 1.x (client_java 1.x) exposes a COUNTER `x_total` as
 * `x_total`, and appends `_total` to a COUNTER without it.
 */
export function exposedName(sample: ExportedSample): string {
  return sample.type === 'COUNTER' && !sample.name.endsWith('_total') ? `${sample.name}_total` : sample.name;
}
