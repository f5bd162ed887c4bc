import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { VM_ROLL_FILES, vmRollFiles } from '../../constructs/kafka/operations/vm-roll';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { staging } from '../../environments/staging';
import { StubWorld, featuresTable, partitionLine, quorumTable } from './support/kafka-stubs';

/**
 * roll-vms.sh run for real against stand-ins for terraform and Kafka's tools (staging: controllers 0-2, brokers
 * 100, 200, 300): one `terraform apply -replace` at a time, controllers first, each only when the cluster can lose
 * the node, each followed by a bounded wait until it is back; errors and refusals end the run non-zero.
 */
const world = new StubWorld();
afterAll(() => world.cleanup());

const NODES = ['kafka-controller-0', 'kafka-controller-1', 'kafka-controller-2', 'kafka-broker-eu-central-1a-0', 'kafka-broker-eu-central-1b-0', 'kafka-broker-eu-central-1c-0'];
const address = (node: string) => `aws_instance.fleet_${node}-instance_0123ABCD`;
const BROKERS = ['b-100.kafka:9092 (id: 100 rack: eu-central-1a isFenced: false) -> (', 'b-200.kafka:9092 (id: 200 rack: eu-central-1b isFenced: false) -> (', 'b-300.kafka:9092 (id: 300 rack: eu-central-1c isFenced: false) -> ('];

function run(options: { args?: string[]; files?: Record<string, string>; spec?: EnvironmentSpec; timeout?: number } = {}) {
  world.reset();
  const plan = join(world.dir, 'operations');
  mkdirSync(plan, { recursive: true });
  const files = vmRollFiles(buildClusterModel(validateEnvironment(options.spec ?? staging)));
  files[VM_ROLL_FILES.settings] = files[VM_ROLL_FILES.settings].replace("CATCH_UP_TIMEOUT_SECONDS='900'", `CATCH_UP_TIMEOUT_SECONDS='${options.timeout ?? 5}'`).replace("POLL_SECONDS='10'", "POLL_SECONDS='0'");
  for (const [file, text] of Object.entries(files)) writeFileSync(join(plan, file), text);
  writeFileSync(join(plan, 'password'), 'AdminPassw0rd');
  writeFileSync(join(plan, 'ca.crt'), 'CA');
  world.write('addresses.json', `{\n  "${NODES.map((node) => `${node}": "${address(node)}`).join('",\n  "')}"\n}\n`);
  world.write('quorum', quorumTable(0, { 1: 50, 2: 80 }, [100, 200, 300]));
  world.write('brokers', `${BROKERS.join('\n')}\n`);
  world.write('catch-up-polls', '2');
  world.write('features', featuresTable({ 'metadata.version': { max: '4.1-IV1', finalized: '4.1-IV1' } }));
  for (const [file, text] of Object.entries(options.files ?? {})) world.write(file, text);
  const result = spawnSync('bash', [join(plan, VM_ROLL_FILES.script), '/srv/stacks/staging-kafka', ...(options.args ?? [])], {
    encoding: 'utf8',
    input: '',
    env: { PATH: `${world.bin}:${process.env.PATH}`, KAFKA_BIN: world.bin, ROLL_AUTO_APPROVE: 'true' },
  });
  const events = world.events();
  const replaced = events.filter((event) => event.includes(' apply ')).map((event) => event.replace(/.*-replace=/, ''));
  return { status: result.status, stderr: result.stderr, events, replaced };
}

test('replaces every node one at a time, controllers first, and waits for each to come back in sync', () => {
  const result = run({ files: { 'urp-pending': partitionLine('orders', 0, [100, 200, 300], [200, 300]), 'brokers-pending': `${BROKERS[1]}\n${BROKERS[2]}\n` } });
  expect(result.status).toBe(0);
  expect(result.replaced).toEqual(NODES.map(address));
  expect(result.events.filter((event) => event.includes(' apply '))[0]).toBe(`terraform -chdir=/srv/stacks/staging-kafka apply -input=false -auto-approve -replace=${address(NODES[0])}`);
  // After the first broker: it registered again (2 polls without it), then its partitions caught up (2 polls).
  const applies = result.events.flatMap((event, index) => (event.includes(' apply ') ? [index] : []));
  const afterBroker = result.events.slice(applies[3] + 1, applies[4]);
  expect(afterBroker.filter((event) => event.startsWith('kafka-broker-api-versions.sh'))).toHaveLength(3);
  expect(afterBroker.filter((event) => event.includes('--under-replicated-partitions')).length).toBeGreaterThanOrEqual(3);
  expect(result.stderr).toMatch(/kafka-broker-eu-central-1c-0 is back and in sync\nroll-vms: done/);
});

test('replaces only the nodes named, in the safe order whatever the order given', () => {
  const result = run({ args: ['kafka-broker-eu-central-1b-0', 'kafka-controller-2'] });
  expect(result.replaced).toEqual([address('kafka-controller-2'), address('kafka-broker-eu-central-1b-0')]);
  expect(run({ args: ['kafka-broker-eu-west-9z-0'] }).stderr).toMatch(/ERROR: kafka-broker-eu-west-9z-0 is not a node of this cluster/);
});

test('refuses to replace a broker while a partition is under-replicated or would drop below min ISR', () => {
  const urp = run({ args: ['kafka-broker-eu-central-1a-0'], files: { urp: partitionLine('orders', 0, [100, 200, 300], [100, 300]) } });
  expect(urp.status).toBe(2);
  expect(urp.replaced).toEqual([]);
  expect(urp.stderr).toMatch(/refusing to replace kafka-broker-eu-central-1a-0: under-replicated partitions/);
  const atMin = run({ args: ['kafka-broker-eu-central-1a-0'], files: { 'at-min': partitionLine('payments', 2, [100, 200], [100, 200]) } });
  expect(atMin.status).toBe(2);
  expect(atMin.stderr).toMatch(/partitions at min.insync.replicas with broker 100 in their ISR: payments-2/);
});

test('refuses to replace a controller while a voter has not caught up', () => {
  const result = run({ files: { quorum: quorumTable(0, { 1: 50, 2: 7000 }) } });
  expect(result.status).toBe(2);
  expect(result.replaced).toEqual([]);
  expect(result.stderr).toMatch(/refusing to replace kafka-controller-0: voter 2 is not caught up/);
});

test('a node that does not come back in time fails the run after its own replacement only', () => {
  const result = run({ args: ['kafka-controller-1', 'kafka-controller-2'], timeout: 1, files: { 'quorum-pending': quorumTable(0, { 1: 90000, 2: 80 }), 'catch-up-polls': '100000' } });
  expect(result.status).toBe(1);
  expect(result.replaced).toEqual([address('kafka-controller-1')]);
  expect(result.stderr).toMatch(/ERROR: gave up after 1s waiting for controller kafka-controller-1 to catch up with the quorum leader/);
});

test('terraform and Kafka errors fail the run as errors', () => {
  const terraform = run({ files: { 'fail-terraform': '' } });
  expect(terraform.status).toBe(1);
  expect(terraform.stderr).toMatch(/ERROR: terraform output replace_addresses failed in \/srv\/stacks\/staging-kafka: Error: error configuring Terraform AWS Provider/);
  const kafka = run({ args: ['kafka-broker-eu-central-1a-0'], files: { 'fail-kafka-topics.sh': '' } });
  expect(kafka.status).toBe(1);
  expect(kafka.replaced).toEqual([]);
  expect(kafka.stderr).toMatch(/ERROR: kafka-topics.sh --describe --under-replicated-partitions failed/);
});

test('raises the feature levels after the last node, one --feature each', () => {
  const spec: EnvironmentSpec = { ...staging, kafka: { ...staging.kafka, features: { metadataVersion: '4.1-IV1', groupVersion: 1 } } };
  const result = run({ spec, args: ['kafka-controller-0'], files: { features: featuresTable({ 'metadata.version': { max: '4.1-IV1', finalized: '4.0-IV3' }, 'group.version': { max: '1', finalized: '0' } }) } });
  expect(result.status).toBe(0);
  const upgrades = result.events.filter((event) => event.includes(' upgrade '));
  expect(upgrades).toEqual(['kafka-features.sh upgrade --feature metadata.version=27', 'kafka-features.sh upgrade --feature group.version=1']);
  expect(result.events.indexOf(upgrades[0])).toBeGreaterThan(result.events.findIndex((event) => event.includes(' apply ')));
});
