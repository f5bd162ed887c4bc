import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { validateEnvironment, validateEnvironments } from '../../constructs/kafka/validation/validate';
import { alertGroups, runbookAnchor } from '../../constructs/kafka/monitoring/alert-rules';
import { environments } from '../../environments';
import { aThreeZoneProdSpec, withChange } from '../fixtures/environments';

describe('docs/monitoring.md', () => {
  it('has a runbook section for every generated alert, where its runbook annotation points', () => {
    const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'monitoring.md'), 'utf8');
    const headings = new Set([...docs.matchAll(/^### (\w+)$/gm)].map((match) => match[1]));
    const everything = validateEnvironment(withChange(aThreeZoneProdSpec(), (draft) => (draft.monitoring = { ...draft.monitoring, prometheus: { deploy: true } })));
    const models = [...validateEnvironments(environments), everything].map(buildClusterModel);
    const alerts = new Set(models.flatMap((model) => alertGroups(model).flatMap((group) => group.alerts.map((alert) => alert.alert))));
    expect([...alerts].filter((alert) => !headings.has(alert))).toEqual([]);
    for (const alert of alerts) expect(runbookAnchor(alert)).toBe(`docs/monitoring.md#${alert.toLowerCase()}`);
  });
});
