import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildClusterModel, type ClusterModel } from '../../constructs/kafka/model/cluster-model';
import { validateEnvironment, validateEnvironments } from '../../constructs/kafka/validation/validate';
import { alertGroups } from '../../constructs/kafka/monitoring/alert-rules';
import { bundledAlertmanagerConfig, bundledPrometheusConfig } from '../../constructs/kafka/monitoring/bundled-stack';
import { renderAlertUnitTests, renderPrometheusRules } from '../../constructs/kafka/monitoring/prometheus-rules';
import { environments } from '../../environments';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { describeWithValidator } from '../support/validators';

/**
 * The environment of every promtool and amtool process: Go's garbage collector at a lazier pace than its default
 * (GOGC=100), which leaves the verdicts as they are. `promtool test rules` allocates a lot while it evaluates every
 * rule at every step: this file takes ~21 s of CPU instead of ~23 s (measured). A GOGC of the caller's own wins.
 */
const toolEnv: NodeJS.ProcessEnv = { ...process.env, GOGC: process.env.GOGC ?? '400' };

function toolMissing(tool: string, packageName: string): string | undefined {
  const result = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? undefined : `${tool} is not installed (Debian package ${packageName})`;
}

function run(tool: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8', env: toolEnv });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function runAsync(tool: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { env: toolEnv });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

/**
 * promtool's verdict per (group, rule file, test file): the same files give the same verdict, and the groups of the
 * shipped prod fixture are byte-identical to those of 'prod with every option', so the mutation tests below run
 * promtool only for the groups they change (~5 s of CPU less).
 */
const unitTestRuns = new Map<string, Promise<{ ok: boolean; output: string }>>();

/**
 * Runs every alert's unit tests: one rule file and one test file per group, all promtool processes at once
 * (promtool evaluates every rule of its file at every step, so per-group files are several times faster).
 */
async function unitTest(
  model: ClusterModel,
  mutate: (rules: string) => string = (rules) => rules,
  onlyGroups?: readonly string[],
): Promise<{ ok: boolean; output: string }[]> {
  const dir = makeTempDir('kafka-rules-');
  const runs = alertGroups(model).filter((group) => !onlyGroups || onlyGroups.includes(group.name)).map((group) => {
    const rules = mutate(renderPrometheusRules(model, [group.name]));
    const tests = renderAlertUnitTests(model, `${group.name}.rules.yaml`, [group.name]);
    const key = `${group.name}\0${rules}\0${tests}`;
    let run = unitTestRuns.get(key);
    if (!run) {
      writeFileSync(join(dir, `${group.name}.rules.yaml`), rules);
      writeFileSync(join(dir, `${group.name}.tests.yaml`), tests);
      run = runAsync('promtool', ['test', 'rules', join(dir, `${group.name}.tests.yaml`)]);
      unitTestRuns.set(key, run);
    }
    return run;
  });
  return Promise.all(runs);
}

/**
 * `promtool check rules` over several files in one process: it prints a `Checking <file>` section per file on stdout
 * and each file's errors, prefixed with its name, on stderr. Returns each file's verdict and output.
 */
function checkRules(files: readonly string[]): Map<string, { ok: boolean; output: string }> {
  const result = spawnSync('promtool', ['check', 'rules', ...files], { encoding: 'utf8', env: toolEnv });
  const sections = new Map(result.stdout.split(/^(?=Checking )/m).map((section) => [section.split('\n')[0].replace(/^Checking /, ''), section] as const));
  const stderr = result.stderr.split('\n');
  return new Map(files.map((file) => {
    const section = sections.get(file) ?? '';
    const errors = stderr.filter((line) => line.startsWith(`${file}:`));
    // A non-zero exit without an error line naming any of the files fails them all.
    const unexplained = result.status !== 0 && !files.some((other) => stderr.some((line) => line.startsWith(`${other}:`)));
    return [file, { ok: section.includes('SUCCESS') && errors.length === 0 && !unexplained, output: `${section}${errors.join('\n')}${unexplained ? result.stderr : ''}` }];
  }));
}

/** Prod with every optional part (bundled stack, custom rules) on. */
function everythingModel(): ClusterModel {
  return buildClusterModel(
    validateEnvironment(
      withChange(aThreeZoneProdSpec(), (draft) => {
        draft.monitoring = { ...draft.monitoring,
          prometheus: { deploy: true },
          grafana: { deploy: true },
          extraAlerts: [{ alert: 'OrdersTopicSilent', expr: 'sum(rate(kafka_server_topic_messages_in_total{topic="orders"}[10m])) == 0', severity: 'info', summary: 's', description: 'd' }],
          extraRecordingRules: [{ record: 'kafka:messages_in:rate5m', expr: 'sum by (environment, cluster) (rate(kafka_server_messages_in_total[5m]))' }],
        };
      }),
    ),
  );
}

const projectModels = () => validateEnvironments(environments).map((spec) => [spec.name, buildClusterModel(spec)] as const);
const allModels = () => [...projectModels(), ['prod with every option', everythingModel()] as const];

afterAll(removeTempDirs);

describe('generated alerts', () => {
  it.each(allModels())('%s: every alert has a test that fires it and one that does not', (_, model) => {
    for (const group of alertGroups(model)) {
      for (const alert of group.alerts) {
        expect([alert.alert, alert.firing.expect.length > 0]).toEqual([alert.alert, true]);
        expect([alert.alert, alert.quiet.expect]).toEqual([alert.alert, []]);
        expect(['critical', 'warning', 'info']).toContain(alert.severity);
      }
    }
  });

  it('selects by labels only, never by pod-name patterns', () => {
    for (const [, model] of allModels()) {
      for (const group of alertGroups(model)) for (const alert of group.alerts) expect(alert.expr).not.toMatch(/\b(pod|instance|job)=~?"/);
    }
  });

  it('expects exactly the declared brokers and controllers', () => {
    const model = buildClusterModel(validateEnvironment(aThreeZoneProdSpec()));
    const alerts = alertGroups(model).flatMap((group) => group.alerts);
    expect(alerts.find((alert) => alert.alert === 'KafkaBrokersMissing')?.expr).toMatch(/< 6$/);
    expect(alerts.find((alert) => alert.alert === 'KafkaControllersMissing')?.expr).toMatch(/< 3$/);
  });
});

describeWithValidator('promtool', toolMissing('promtool', 'prometheus'), () => {
  // One promtool process checks every model's rule file; each test reads its file's verdict.
  let checked: Map<string, { ok: boolean; output: string }> | undefined;
  const ruleFiles = new Map<string, string>();
  function checkedRuleFile(name: string, model: ClusterModel): { ok: boolean; output: string } {
    if (!checked) {
      const dir = makeTempDir('kafka-rules-');
      allModels().forEach(([modelName, each], index) => {
        const file = join(dir, `${index}-prometheus-rules.yaml`);
        writeFileSync(file, renderPrometheusRules(each));
        ruleFiles.set(modelName, file);
      });
      checked = checkRules([...ruleFiles.values()]);
    }
    const file = ruleFiles.get(name)!;
    // The file checked is the rule file of the model under test.
    expect(readFileSync(file, 'utf8')).toBe(renderPrometheusRules(model));
    return checked.get(file)!;
  }

  it.each(allModels())('%s: `promtool check rules` accepts the rule file', (name, model) => {
    const result = checkedRuleFile(name, model);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('`promtool check rules` over several files names the one it rejects', () => {
    const dir = makeTempDir('kafka-rules-');
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(good, renderPrometheusRules(buildClusterModel(validateEnvironment(aVmStagingSpec()))));
    writeFileSync(bad, renderPrometheusRules(buildClusterModel(validateEnvironment(aVmStagingSpec()))).replace(/expr: (.*)/, 'expr: ($1'));
    const results = checkRules([good, bad]);
    expect(results.get(good)).toEqual({ ok: true, output: expect.stringContaining('SUCCESS') });
    expect(results.get(bad)).toEqual({ ok: false, output: expect.stringContaining('parse error') });
  });

  // prod differs from 'prod with every option' only in what that adds; these three cover every alert variant
  // (Kubernetes with TLS and consumer lag, VM disks, a single-controller plaintext dev cluster).
  const unitModels = () => [['prod with every option', everythingModel()] as const, ...projectModels().filter(([name]) => name !== 'prod')];

  it.each(unitModels())('%s: `promtool test rules` passes every alert unit test', async (_, model) => {
    const results = await unitTest(model);
    expect(results.filter((result) => !result.ok).map((result) => result.output)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(5);
  });

  it('fails a unit test whose alert no longer fires (the tests can fail)', async () => {
    const model = buildClusterModel(validateEnvironment(aThreeZoneProdSpec()));
    // The same tests against a rule whose threshold can never be met.
    const results = await unitTest(model, (rules) =>
      rules.replace(/kafka_server_under_replicated_partitions\{([^}]*)\}\) > 0/, 'kafka_server_under_replicated_partitions{$1}) > 1000'),
    );
    const failed = results.filter((result) => !result.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0].output).toContain('KafkaUnderReplicatedPartitions fires');
  });

  // Each fix of issue 10 undone in the rule text: the unit test written for it must fail.
  const vm = () => buildClusterModel(validateEnvironment(aVmStagingSpec()));
  const prod = () => buildClusterModel(validateEnvironment(aThreeZoneProdSpec()));
  it.each([
    ['`up` not scoped to the JMX exporter (a dead JVM on a running VM)', vm, 'kafka-availability', (rules: string) => rules.replaceAll(',exporter="jmx"', ''), 'KafkaNodeDown fires'],
    ['ISR shrinks without the roll guard', prod, 'kafka-replication', (rules: string) => rules.replace(/ unless on \(environment, cluster\) \(min by[^\n]*< 1200\)/, ''), 'KafkaIsrShrinking stays silent during a one-at-a-time roll'],
    ['heap in use instead of heap after collection', prod, 'kafka-jvm', (rules: string) => rules.replace('jvm_memory_pool_collection_used_bytes{', 'jvm_memory_used_bytes{area="heap",'), 'KafkaJvmHeapPressure stays silent'],
    ['consumer lag of groups without members', prod, 'kafka-consumer-lag', (rules: string) => rules.replace(/ and on \(environment, cluster, consumergroup\)[^\n]*members[^\n]*> 0\)/, ''), 'KafkaConsumerLagGrowing ignores a group without members'],
  ] as const)('fails the unit test of %s', async (_, model, group, mutate, failing) => {
    const rules = renderPrometheusRules(model(), [group]);
    expect(mutate(rules)).not.toBe(rules);
    const results = await unitTest(model(), mutate, [group]);
    expect(results).toHaveLength(1);
    expect(results[0].ok).toBe(false);
    expect(results[0].output).toContain(`name: ${failing},`);
  });

  it('`promtool check config` accepts the bundled Prometheus config', () => {
    const dir = makeTempDir('kafka-prometheus-');
    const model = everythingModel();
    writeFileSync(join(dir, 'prometheus-rules.yaml'), renderPrometheusRules(model));
    // Debian builds Prometheus without Kubernetes service discovery ("field kubernetes_sd_configs not found"), so
    // promtool checks everything else (relabelling, regexes, rules, alerting) with a static target in its place;
    // the discovery block itself is asserted below.
    const real = bundledPrometheusConfig(model) as { scrape_configs: Record<string, unknown>[] };
    const config = {
      ...real,
      rule_files: [join(dir, '*.yaml')],
      scrape_configs: real.scrape_configs.map(({ kubernetes_sd_configs: _sd, ...job }) => ({ ...job, static_configs: [{ targets: ['placeholder:9404'] }] })),
    };
    for (const job of real.scrape_configs) {
      expect(job.kubernetes_sd_configs).toEqual([
        expect.objectContaining({ role: 'pod', namespaces: { names: ['kafka'] }, selectors: [expect.objectContaining({ role: 'pod' })] }),
      ]);
    }
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const result = run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });
});

describeWithValidator('amtool', toolMissing('amtool', 'prometheus-alertmanager'), () => {
  it('`amtool check-config` accepts the bundled Alertmanager config', () => {
    const dir = makeTempDir('kafka-alertmanager-');
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(bundledAlertmanagerConfig()));
    const result = run('amtool', ['check-config', join(dir, 'alertmanager.yml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });
});
