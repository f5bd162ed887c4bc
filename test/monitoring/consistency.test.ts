import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildClusterModel, type ClusterModel } from '../../constructs/kafka/model/cluster-model';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { alertGroups } from '../../constructs/kafka/monitoring/alert-rules';
import { kafkaDashboards } from '../../constructs/kafka/monitoring/dashboards';
import { jmxExporterConfig, renderJmxExporterConfig } from '../../constructs/kafka/monitoring/jmx-exporter-config';
import { EXTERNAL_METRICS, METRICS, MONOTONIC_EXTERNAL_GAUGES, catalogueMetrics } from '../../constructs/kafka/monitoring/metric-catalogue';
import { metricNamesIn } from '../../constructs/kafka/monitoring/promql';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { applyRules, exposedName } from './jmx-exporter-simulator';

/** One MBean of the fixture: its ObjectName, the Kafka class that registers it, its kind, the roles that have it. */
interface FixtureBean {
  readonly objectName: string;
  readonly registeredBy: string;
  readonly kind: string;
  readonly roles: readonly string[];
  readonly attributes: string[];
}

function readFixture(): FixtureBean[] {
  const beans: FixtureBean[] = [];
  const lines = readFileSync(join(__dirname, '..', 'fixtures', 'kafka-4-mbeans.txt'), 'utf8').split('\n');
  for (const line of lines) {
    if (line.startsWith('## ')) {
      const [objectName, registeredBy, kind, roles] = line.slice(3).split(' | ');
      beans.push({ objectName, registeredBy, kind, roles: (roles ?? '').split(','), attributes: [] });
    } else if (line.trim() !== '' && !line.startsWith('#')) {
      if (beans.length === 0) throw new Error(`fixture line before any bean header: ${line}`);
      beans[beans.length - 1].attributes.push(line);
    }
  }
  return beans;
}

const BEANS = readFixture();
const FIXTURE = BEANS.flatMap((bean) => bean.attributes);
const beanOfInput = new Map(BEANS.flatMap((bean) => bean.attributes.map((line) => [line, bean] as const)));
/** The classes the fixture header names as sources (`#   Class: path`). */
const SOURCE_CLASSES = new Set(
  [...readFileSync(join(__dirname, '..', 'fixtures', 'kafka-4-mbeans.txt'), 'utf8').matchAll(/^#   ([A-Za-z.]+): [a-z-]+\/src\/main\/\S+\.(?:java|scala)$/gm)].map((match) => match[1]),
);

/** Prod with every optional part on, so every alert and dashboard exists. */
function everythingModel(): ClusterModel {
  return buildClusterModel(
    validateEnvironment(
      withChange(aThreeZoneProdSpec(), (draft) => {
        draft.monitoring = { ...draft.monitoring, partitionMetrics: true, prometheus: { deploy: true }, grafana: { deploy: true } };
      }),
    ),
  );
}

const models = (): ClusterModel[] => [
  everythingModel(),
  buildClusterModel(validateEnvironment(aSingleZoneDevSpec())),
  buildClusterModel(validateEnvironment(aVmStagingSpec())),
];

function queriesOf(model: ClusterModel): { where: string; expr: string }[] {
  const alerts = alertGroups(model).flatMap((group) => group.alerts.map((alert) => ({ where: `alert ${alert.alert}`, expr: alert.expr })));
  const panels = Object.entries(kafkaDashboards(model)).flatMap(([file, board]) =>
    (board.panels ?? []).flatMap((panel) =>
      ((panel as { targets?: { expr?: string }[] }).targets ?? []).map((target) => ({ where: `${file} "${(panel as { title?: string }).title}"`, expr: target.expr ?? '' })),
    ),
  );
  const variables = Object.entries(kafkaDashboards(model)).flatMap(([file, board]) =>
    (board.templating?.list ?? [])
      .filter((variable) => variable.type === 'query')
      .map((variable) => ({ where: `${file} variable ${variable.name}`, expr: String(variable.query).replace(/^label_values\((.*),\s*\w+\)$/, '$1') })),
  );
  return [...alerts, ...panels, ...variables];
}

describe('exporter rules against real Kafka 4.x MBean names', () => {
  const model = everythingModel();
  const { samples } = applyRules(jmxExporterConfig(model.spec), FIXTURE);
  const produced = new Set(samples.map(exposedName));
  const external = new Map<string, string>(
    Object.entries(EXTERNAL_METRICS).flatMap(([exporter, names]) => (names as readonly string[]).map((name) => [name, exporter] as const)),
  );

  it('produces every metric of the catalogue', () => {
    const missing = catalogueMetrics().map((metric) => metric.name).filter((name) => !produced.has(name));
    expect(missing).toEqual([]);
  });

  it.each(models().map((m) => [m.spec.name, m] as const))('%s: every metric an alert, panel or variable reads is produced by the rules or a named exporter', (_, m) => {
    const unknown = queriesOf(m).flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !produced.has(name) && !external.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('exports Yammer meters as counters from Count, never their per-second rates', () => {
    const fromRates = samples.filter((sample) => /(Mean|OneMinute|FiveMinute|FifteenMinute)Rate: /.test(sample.input));
    expect(fromRates).toEqual([]);
    const messagesIn = samples.find((sample) => sample.name === METRICS.messagesIn.name);
    expect(messagesIn).toMatchObject({ type: 'COUNTER', labels: {} });
    expect(messagesIn?.input).toBe('kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec><>Count: 12345');
  });

  it('keeps the all-topic and per-topic series apart, with topic labels where Kafka has them', () => {
    const perTopic = samples.filter((sample) => sample.name === METRICS.topicMessagesIn.name);
    expect(perTopic.map((sample) => sample.labels)).toEqual([{ topic: 'orders.v1' }]);
    expect(samples.filter((sample) => sample.name === METRICS.messagesIn.name)).toHaveLength(1);
  });

  it('turns the idle-time meter into seconds, so rate() is the idle ratio', () => {
    const idle = samples.find((sample) => sample.name === METRICS.requestHandlerIdle.name);
    expect(idle?.value).toBeCloseTo(98.7654321, 6);
  });

  it('exports the KRaft state as a labelled 1, quantiles with a quantile label, listeners with a listener label', () => {
    expect(samples.find((sample) => sample.name === METRICS.raftState.name)).toMatchObject({ labels: { state: 'leader' }, value: 1 });
    const p99 = samples.filter((sample) => sample.name === METRICS.requestTotalTime.name && sample.labels.quantile === '0.99');
    expect(p99.map((sample) => sample.labels.request).sort()).toEqual(['FetchConsumer', 'FetchFollower', 'Produce']);
    const listeners = samples.filter((sample) => sample.name === METRICS.listenerConnections.name).map((sample) => sample.labels.listener);
    expect(listeners.sort()).toEqual(['CLIENT', 'CONTROLLER', 'REPLICATION']);
  });

  it('has no catch-all: attributes no rule names are not exported', () => {
    const { unmatched } = applyRules(jmxExporterConfig(model.spec), FIXTURE);
    expect(unmatched).toContain('kafka.server<type=ReplicaManager, name=IsrShrinksPerSec><>OneMinuteRate: 0.5');
    expect(jmxExporterConfig(model.spec).rules.some((rule) => /^\.\*$|^\(\.\*\)$/.test(rule.pattern))).toBe(false);
  });

  it('exports per-partition series only when the spec asks for them', () => {
    const off = buildClusterModel(validateEnvironment(aThreeZoneProdSpec()));
    const names = new Set(applyRules(jmxExporterConfig(off.spec), FIXTURE).samples.map((sample) => sample.name));
    expect(names.has(METRICS.partitionLogSize.name)).toBe(false);
    expect(produced.has(METRICS.partitionLogSize.name)).toBe(true);
  });

  it('names every counter with _total (jmx_exporter 1.x would append it) and nothing else with it', () => {
    for (const metric of catalogueMetrics()) expect(metric.name.endsWith('_total')).toBe(metric.type === 'COUNTER');
  });

  it('never applies rate(), irate() or increase() to a gauge', () => {
    const counters = new Set([...catalogueMetrics().filter((metric) => metric.type === 'COUNTER').map((metric) => metric.name)]);
    const isCounter = (name: string) => counters.has(name) || MONOTONIC_EXTERNAL_GAUGES.includes(name) || /_(total|count|sum)$/.test(name);
    const misuse = models().flatMap((m) =>
      queriesOf(m).flatMap(({ where, expr }) =>
        [...expr.matchAll(/\b(?:rate|irate|increase)\(([^[]*)\[/g)].flatMap((call) =>
          metricNamesIn(call[1]).filter((name) => !isCounter(name)).map((name) => `${where}: ${name}`),
        ),
      ),
    );
    expect(misuse).toEqual([]);
  });
});

describe('the MBean fixture', () => {
  it('names, for every bean, the Kafka 4.x class that registers it, a known kind and the roles that have it', () => {
    expect(BEANS.length).toBeGreaterThan(100);
    const bad = BEANS.filter(
      (bean) =>
        !SOURCE_CLASSES.has(bean.registeredBy) ||
        !['gauge', 'meter', 'histogram', 'timer', 'kafka-metrics'].includes(bean.kind) ||
        bean.roles.length === 0 ||
        bean.roles.some((role) => role !== 'controller' && role !== 'broker') ||
        bean.attributes.length === 0,
    );
    expect(bad.map((bean) => bean.objectName)).toEqual([]);
  });

  it('writes every attribute line in the exporter format of its own ObjectName', () => {
    const mismatched = BEANS.flatMap((bean) => {
      const [domain, properties] = bean.objectName.split(/:(.*)/s);
      const prefix = `${domain}<${properties.split(',').join(', ')}><>`;
      return bean.attributes.filter((line) => !line.startsWith(prefix)).map((line) => `${bean.objectName}: ${line}`);
    });
    expect(mismatched).toEqual([]);
  });

  it('holds no bean only the ZooKeeper-era controller registered', () => {
    expect(BEANS.filter((bean) => /LeaderElectionRateAndTimeMs|ZkMigrationState|MigratingZkBrokerCount|ZkWriteBehindLag/.test(bean.objectName))).toEqual([]);
  });
});

describe('catalogue roles against the fixture', () => {
  const model = everythingModel();
  const { samples } = applyRules(jmxExporterConfig(model.spec), FIXTURE);

  it('declares for every metric exactly the roles whose JVMs register its beans', () => {
    const wrong = catalogueMetrics().flatMap((metric) => {
      const roles = new Set(samples.filter((sample) => sample.name === metric.name).flatMap((sample) => beanOfInput.get(sample.input)?.roles ?? []));
      const declared = [...metric.roles].sort().join(',');
      const registered = [...roles].sort().join(',');
      return declared === registered ? [] : [`${metric.name}: declared ${declared}, registered on ${registered}`];
    });
    expect(wrong).toEqual([]);
  });

  it.each(models().map((m) => [m.spec.name, m] as const))('%s: alert unit tests feed each Kafka metric only on a role that has it', (_, m) => {
    const byName = new Map(catalogueMetrics().map((metric) => [metric.name, metric]));
    const wrong = alertGroups(m).flatMap((group) =>
      group.alerts.flatMap((alert) =>
        [alert.firing, alert.quiet, ...(alert.scenarios ?? [])].flatMap((testCase) =>
          testCase.series.flatMap((series) => {
            const metric = byName.get(series.series.slice(0, series.series.indexOf('{')));
            const role = /role="([^"]+)"/.exec(series.series)?.[1];
            return metric && role && !(metric.roles as readonly string[]).includes(role) ? [`${alert.alert}: ${series.series}`] : [];
          }),
        ),
      ),
    );
    expect(wrong).toEqual([]);
  });

  it.each(models().map((m) => [m.spec.name, m] as const))('%s: every query of up, JVM or process series names the exporter it means', (_, m) => {
    const perExporter = /\b(up|jvm_[a-z_]+|process_[a-z_]+)\{([^}]*)\}/g;
    const unscoped = queriesOf(m).flatMap(({ where, expr }) =>
      [...expr.matchAll(perExporter)]
        .filter(([, , matchers]) => !/exporter="/.test(matchers) && !/role="kafka-exporter"/.test(matchers))
        .map(([selector]) => `${where}: ${selector}`),
    );
    expect(unscoped).toEqual([]);
  });
});

describe('alerts over runtime sources', () => {
  // Sources no Kafka target reports on: when they are not scraped (the bundled Prometheus scrapes none), the alerts
  // reading them would be silently dead unless an absence alert covers them.
  const RUNTIME_SOURCES = ['kubelet', 'certManager', 'kubeStateMetrics', 'nodeExporter', 'vmTextfile'] as const;

  it.each(models().map((m) => [m.spec.name, m] as const))('%s: every runtime source an alert reads has an alert for its absence', (_, m) => {
    const alerts = alertGroups(m).flatMap((group) => group.alerts);
    const missing = RUNTIME_SOURCES.flatMap((source) => {
      const families = EXTERNAL_METRICS[source] as readonly string[];
      const readers = alerts.filter((alert) => !alert.expr.startsWith('absent(') && metricNamesIn(alert.expr).some((name) => families.includes(name)));
      const guarded = alerts.some((alert) => families.some((family) => alert.expr.startsWith(`absent(${family}{`)));
      return readers.length > 0 && !guarded ? [`${source}: read by ${readers.map((alert) => alert.alert).join(', ')}`] : [];
    });
    expect(missing).toEqual([]);
  });
});

describe('metricNamesIn', () => {
  it('finds selected metrics and ignores functions, keywords, labels and durations', () => {
    expect(
      metricNamesIn('sum by (node_id) (rate(a_total{x="b_c",y=~"d|e"}[5m])) / on (node_id) group_left b > 2 and absent(c) or vector(1) offset 5m'),
    ).toEqual(['a_total', 'b', 'c']);
  });
});

describe('jmx-exporter.yaml', () => {
  it('reads back as the same rules, with no exponent-only number a strict YAML 1.1 parser would take for a string', () => {
    const spec = validateEnvironment(aThreeZoneProdSpec());
    const text = renderJmxExporterConfig(spec);
    // YAML 1.1 floats need a decimal point (PyYAML reads `1e-9` as a string); SnakeYAML is YAML 1.1 too.
    expect(text).not.toMatch(/:\s+-?\d+e[-+]?\d+\s*$/m);
    const parsed = parse(text, { version: '1.1' });
    expect(parsed).toEqual(JSON.parse(JSON.stringify(jmxExporterConfig(spec))));
    expect(typeof parsed.rules.find((rule: { name: string }) => rule.name === METRICS.requestHandlerIdle.name).valueFactor).toBe('number');
  });
});
