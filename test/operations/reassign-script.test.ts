import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planReassignmentCli } from '../../bin/plan-reassignment';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { REASSIGN_FILES, reassignFiles } from '../../constructs/kafka/operations/reassignment';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { prod } from '../../environments/prod';
import { StubWorld, partitionLine } from './support/kafka-stubs';

/**
 * reassign.sh run for real against a stand-in kafka-reassign-partitions.sh: throttled execute, resumed rather than
 * restarted, waits for completion, removes throttles by a last --verify; the drain moves every replica off the
 * draining brokers within their zone and succeeds only once they hold none.
 */
const world = new StubWorld();
afterAll(() => world.cleanup());

const draining: EnvironmentSpec = { ...prod, operations: { brokers: { draining: [101, 201, 301] } } };
const PLAN = '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[101,200,300]}]}\n';
const NOT_STARTED = 'Status of partition reassignment:\nThere is no active reassignment of partition orders-0, but replica set is 100,200,300 rather than 101,200,300.\n';
const RUNNING = 'Status of partition reassignment:\nReassignment of partition orders-0 is still in progress.\n';
const DONE = 'Status of partition reassignment:\nReassignment of partition orders-0 is completed.\n';

function run(args: string[], files: Record<string, string>, spec: EnvironmentSpec = prod, timeoutSeconds = 30) {
  world.reset();
  const dir = join(world.dir, 'operations');
  mkdirSync(dir, { recursive: true });
  const plan = reassignFiles(buildClusterModel(validateEnvironment(spec)));
  plan[REASSIGN_FILES.settings] = plan[REASSIGN_FILES.settings].replace("POLL_SECONDS='10'", "POLL_SECONDS='0'").replace("REASSIGN_TIMEOUT_SECONDS='86400'", `REASSIGN_TIMEOUT_SECONDS='${timeoutSeconds}'`);
  for (const [file, text] of Object.entries(plan)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'password'), 'AdminPassw0rd');
  writeFileSync(join(dir, 'ca.crt'), 'CA');
  writeFileSync(join(world.dir, 'plan.json'), PLAN);
  for (const [file, text] of Object.entries(files)) world.write(file, text);
  const result = spawnSync('bash', [join(dir, REASSIGN_FILES.script), ...args], { encoding: 'utf8', env: { PATH: `${world.bin}:${process.env.PATH}`, KAFKA_BIN: world.bin, ROLLBACK_FILE: join(world.dir, 'rollback.json') } });
  return { status: result.status, stderr: result.stderr, events: world.events().filter((event) => event.startsWith('kafka-reassign')) };
}

test('executes a plan with the throttle, waits for it, then verifies without --preserve-throttles (removing them)', () => {
  const result = run(['apply', join(world.dir, 'plan.json')], { verify: NOT_STARTED, 'verify-completed': DONE, 'verify-pending': RUNNING, 'catch-up-polls': '2' });
  expect(result.status).toBe(0);
  const plan = join(world.dir, 'plan.json');
  expect(result.events).toEqual([
    `kafka-reassign-partitions.sh --verify --reassignment-json-file ${plan} --preserve-throttles`,
    `kafka-reassign-partitions.sh --execute --reassignment-json-file ${plan} --throttle 52428800`,
    `kafka-reassign-partitions.sh --verify --reassignment-json-file ${plan} --preserve-throttles`,
    `kafka-reassign-partitions.sh --verify --reassignment-json-file ${plan} --preserve-throttles`,
    `kafka-reassign-partitions.sh --verify --reassignment-json-file ${plan} --preserve-throttles`,
    `kafka-reassign-partitions.sh --verify --reassignment-json-file ${plan}`,
  ]);
  expect(result.stderr).toMatch(/reassignment verified; throttles removed/);
});

test('resumes an interrupted reassignment instead of starting it again', () => {
  const result = run(['apply', join(world.dir, 'plan.json')], { verify: DONE, 'verify-pending': RUNNING, 'verify-polls': '1' });
  expect(result.status).toBe(0);
  expect(result.events.some((event) => event.includes('--execute'))).toBe(false);
  expect(result.stderr).toMatch(/every move of the plan has started already; waiting for them/);
});

test('a failing tool is an error, and the throttles are never removed before the moves are done', () => {
  const failed = run(['apply', join(world.dir, 'plan.json')], { 'fail-kafka-reassign-partitions.sh': '' });
  expect(failed.status).toBe(1);
  expect(failed.stderr).toMatch(/ERROR: kafka-reassign-partitions.sh --verify .* failed: .*TimeoutException/);
  const stuck = run(['apply', join(world.dir, 'plan.json')], { verify: RUNNING }, prod, 1);
  expect(stuck.status).toBe(1);
  expect(stuck.stderr).toMatch(/ERROR: gave up after 1s waiting for the reassignment to finish \(run again to keep waiting\)/);
  expect(stuck.events.every((event) => event.includes('--preserve-throttles'))).toBe(true);
});

describe('drain', () => {
  const describe = [0, 1, 2, 3].map((partition) => partitionLine('orders', partition, partition % 2 ? [101, 201, 301] : [100, 200, 300], [100, 200, 300])).join('');

  it('moves every replica of the draining brokers to the broker staying in its zone, throttled, then checks them', () => {
    const result = run(['drain'], { describe, verify: NOT_STARTED, 'verify-completed': DONE }, draining);
    expect(result.status).toBe(1); // the stand-in's describe still shows them on the draining brokers afterwards
    expect(result.stderr).toMatch(/"topic": "orders", "partition": 1, "replicas": \[100,200,300\]/);
    expect(result.stderr).toMatch(/"topic": "orders", "partition": 3, "replicas": \[100,200,300\]/);
    expect(result.stderr).not.toMatch(/"partition": 0,/);
    expect(result.events.some((event) => event.includes('--execute') && event.includes('--throttle 52428800'))).toBe(true);
    expect(result.stderr).toMatch(/broker 101 still holds 2 replicas: orders-1 orders-3/);
    expect(result.stderr).toMatch(/ERROR: draining brokers still hold replicas/);
  });

  it('succeeds only when the draining brokers hold no replicas', () => {
    const empty = [0, 1].map((partition) => partitionLine('orders', partition, [100, 200, 300], [100, 200, 300])).join('');
    const result = run(['check-drained'], { describe: empty }, draining);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/broker 101 holds no replicas: drained\n.*broker 201 holds no replicas: drained\n.*broker 301 holds no replicas: drained/);
    expect(run(['drain'], { describe: empty }).stderr).toMatch(/ERROR: drain.plan lists no draining broker/);
  });
});

test('plan-reassignment prints the plan for review and writes the JSON reassign.sh applies', () => {
  const describeFile = join(world.dir, 'describe.txt');
  // prod has 2 brokers per zone; everything sits on the first of each zone.
  writeFileSync(describeFile, [0, 1, 2, 3].map((partition) => partitionLine('orders', partition, [100, 200, 300], [100, 200, 300])).join(''));
  const out = join(world.dir, 'planned.json');
  const lines: string[] = [];
  expect(planReassignmentCli(['--env', 'prod', '--describe', describeFile, '--out', out], (line) => lines.push(line))).toBe(0);
  const printed = lines.join('');
  expect(printed).toMatch(/^6 replica move\(s\) in 2 partition\(s\)\n {2}leaving: 0, rack: 0, balance: 6\n/);
  expect(printed).toMatch(/ {2}100: 4 -> 2\n {2}101: 0 -> 2\n/);
  expect(JSON.parse(readFileSync(out, 'utf8')).partitions).toHaveLength(2);
  expect(planReassignmentCli(['--env', 'nowhere', '--describe', describeFile, '--out', out], (line) => lines.push(line))).toBe(2);
});
