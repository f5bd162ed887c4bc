import type { Chart } from 'cdk8s';
import { stringify } from 'yaml';

/** A chart's objects as multi-document YAML, in the chart's own (deterministic) order. */
export function chartToYaml(chart: Chart): string {
  return chart
    .toJson()
    .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
