import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { validateEnvironments } from '../../constructs/kafka/validation/validate';
import { renderDashboard, kafkaDashboards } from '../../constructs/kafka/monitoring/dashboards';
import { environments } from '../../environments';

const models = validateEnvironments(environments).map((spec) => [spec.name, buildClusterModel(spec)] as const);

interface PanelJson {
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; refId?: string; datasource?: { uid?: string } }[];
}

describe.each(models)('%s dashboards', (_, model) => {
  const boards = Object.entries(kafkaDashboards(model)).map(([file, board]) => [file, JSON.parse(renderDashboard(board))] as const);

  it('are the six boards of the issue, with unique uids', () => {
    expect(boards.map(([file]) => file).sort()).toEqual([
      'kafka-brokers.json',
      'kafka-consumer-lag.json',
      'kafka-jvm.json',
      'kafka-kraft.json',
      'kafka-overview.json',
      'kafka-topics.json',
    ]);
    const uids = boards.map(([, board]) => board.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid.length).toBeLessThanOrEqual(40);
  });

  it('give every panel a datasource and at least one non-empty query', () => {
    for (const [file, board] of boards) {
      const panels: PanelJson[] = board.panels;
      expect([file, panels.length > 0]).toEqual([file, true]);
      for (const panel of panels) {
        const where = `${file} "${panel.title}"`;
        expect([where, panel.datasource]).toEqual([where, { type: 'prometheus', uid: '${datasource}' }]);
        expect([where, (panel.targets ?? []).length > 0]).toEqual([where, true]);
        for (const target of panel.targets ?? []) expect([where, (target.expr ?? '').trim() !== '']).toEqual([where, true]);
        const refIds = (panel.targets ?? []).map((target) => target.refId);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    }
  });

  it('have environment, zone and node variables, and filter per-node queries by them', () => {
    for (const [file, board] of boards) {
      const names = board.templating.list.map((variable: { name: string }) => variable.name);
      expect([file, names]).toEqual([file, expect.arrayContaining(['datasource', 'environment', 'zone', 'node'])]);
      const environment = board.templating.list.find((variable: { name: string }) => variable.name === 'environment');
      expect(environment.current.value).toBe(model.spec.name);
    }
    const brokers = boards.find(([file]) => file === 'kafka-brokers.json')?.[1];
    for (const panel of brokers.panels as PanelJson[]) {
      for (const target of panel.targets ?? []) expect(target.expr).toContain('zone=~"$zone",node_id=~"$node"');
    }
  });

  it('render deterministically', () => {
    const again = Object.entries(kafkaDashboards(model)).map(([file, board]) => [file, JSON.parse(renderDashboard(board))] as const);
    expect(again).toEqual(boards);
  });
});
