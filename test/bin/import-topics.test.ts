/**
 * `npm run import-topics`, bundled and run as package.json does, against tool output in Kafka 4.x's printed format.
 * The printed fragment, pasted into a spec, must make the reconcile a no-op on the cluster it came from.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { currentTopics, parseQuotaDescribe } from '../../constructs/kafka/topics/describe-output';
import { desiredTopics } from '../../constructs/kafka/topics/desired-topics';
import { isNoOp, planTopics } from '../../constructs/kafka/topics/topic-plan';
import { desiredQuotas, planQuotas } from '../../constructs/kafka/topics/quota-plan';
import { ENVIRONMENTS, problemsOf, resolved } from '../security/fixtures';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

const repo = resolve(__dirname, '../..');
const fixtures = join(repo, 'test/fixtures/kafka-describe');
let bundle: string;
beforeAll(() => {
  bundle = join(makeTempDir('import-topics-'), 'import-topics.js');
  buildSync({ entryPoints: [join(repo, 'bin/import-topics.ts')], bundle: true, platform: 'node', target: 'node20', packages: 'external', loader: { '.sh': 'text' }, outfile: bundle, logLevel: 'error' });
});
afterAll(removeTempDirs);

const run = (...args: string[]) => spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', cwd: repo });
const fixture = (name: string) => join(fixtures, name);

it('prints the topics and quotas of a running cluster as a spec fragment', () => {
  const result = run('--topics', fixture('topics.txt'), '--configs', fixture('configs.txt'), '--quotas', fixture('quotas.txt'));
  expect(result.status).toBe(0);
  expect(result.stdout).toBe(
    [
      '// Imported from the cluster; review, then paste into the EnvironmentSpec.',
      '  topics: {',
      "    'customer-profiles': { partitions: 12, replicationFactor: 3, configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': 3600000 } },",
      "    'legacy-events': { partitions: 6, replicationFactor: 3, configs: { 'retention.bytes': 1073741824 } },",
      "    orders: { partitions: 24, replicationFactor: 3, configs: { 'compression.type': 'zstd', 'min.insync.replicas': 2, 'retention.ms': 604800000 }, deadLetter: { partitions: 3, configs: { 'retention.ms': 2592000000 } } },",
      '  },',
      '  quotas: [',
      "    { user: '<default>', limits: { producer_byte_rate: 1048576 } },",
      "    { user: 'orders', limits: { producer_byte_rate: 52428800, consumer_byte_rate: 104857600 } },",
      "    { clientId: 'batch-import', limits: { request_percentage: 50 } },",
      '  ],',
      '',
    ].join('\n'),
  );
  expect(result.stderr).toContain('warning: topic legacy-events: message.downconversion.enable=true is not a topic config of Kafka 4.x; left out, so the reconcile will remove it');
  expect(result.stderr).toContain('warning: topic orders: leader.replication.throttled.replicas is set (kafka-reassign-partitions.sh');
});

it('round-trips: with the imported fragment the reconcile changes nothing but the config Kafka 4.x does not know', () => {
  const result = run('--topics', fixture('topics.txt'), '--configs', fixture('configs.txt'), '--quotas', fixture('quotas.txt'));
  const fragment = new Function(`return ({\n${result.stdout}});`)() as { topics: never; quotas: never };
  const spec = { ...ENVIRONMENTS.staging, ...fragment };
  expect(problemsOf(spec)).toEqual([]);
  const current = currentTopics(readFileSync(fixture('topics.txt'), 'utf8'), readFileSync(fixture('configs.txt'), 'utf8'));
  const plan = planTopics(desiredTopics(resolved(spec)), current);
  expect(plan.alterConfigs).toEqual([{ name: 'legacy-events', set: {}, delete: ['message.downconversion.enable'] }]);
  expect(isNoOp({ ...plan, alterConfigs: [] })).toBe(true);
  expect(plan.refused).toEqual([]);
  expect(plan.unmanaged).toEqual([]);
  expect(planQuotas(desiredQuotas(resolved(spec)), parseQuotaDescribe(readFileSync(fixture('quotas.txt'), 'utf8')))).toEqual([]);
});

it('reads standard input for "-" and explains its usage on bad arguments', () => {
  const piped = spawnSync(process.execPath, [bundle, '--topics', '-', '--configs', fixture('configs.txt')], { encoding: 'utf8', input: readFileSync(fixture('topics.txt'), 'utf8') });
  expect(piped.status).toBe(0);
  expect(piped.stdout).toContain("'customer-profiles': { partitions: 12");
  const bad = run('--topics', fixture('topics.txt'));
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^usage: npm run import-topics -- --topics/);
  const missing = run('--topics', fixture('nope.txt'), '--configs', fixture('configs.txt'));
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/import-topics: ENOENT/);
});
