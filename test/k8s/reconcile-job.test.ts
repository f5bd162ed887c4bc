/**
 * The Kubernetes entry point of the reconcile, from prod's synthesized manifests: the CronJob's own command, with
 * the files of its plan ConfigMap at the paths it mounts them, run against a fake Kafka cluster. The script reads
 * its mounts at its built-in default paths, so only the mount roots are redirected to a scratch folder here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prod } from '../../environments/prod';
import { RECONCILE_PATHS, RECONCILE_SCRIPT } from '../../constructs/kafka/security/reconcile-script';
import { desiredTopics } from '../../constructs/kafka/topics/desired-topics';
import { FakeKafka, runScript } from '../support/fake-kafka';
import { synthesizeEnvironment } from './full-synth';
import { schemaErrors, schemaOf } from './kubernetes-schema';
import { dev } from '../../environments/dev';

const { objects, model, files } = synthesizeEnvironment(prod);
const cronJob = objects.find((object) => object.kind === 'CronJob' && object.metadata.name === 'kafka-reconcile')!;
const planMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'kafka-reconcile-plan')!;
const pod = cronJob.spec.jobTemplate.spec.template.spec;
const container = pod.containers[0];

it('runs the plan ConfigMap\'s script from the paths the script reads by default, with the same plan as dist/<env>/reconcile/', () => {
  expect(container.command).toEqual(['bash', `${RECONCILE_PATHS.plan}/reconcile.sh`]);
  expect(planMap.data['reconcile.sh']).toBe(RECONCILE_SCRIPT);
  const mounts = Object.fromEntries(container.volumeMounts.map((mount: { name: string; mountPath: string }) => [mount.name, mount.mountPath]));
  expect(mounts).toMatchObject({ plan: RECONCILE_PATHS.plan, users: RECONCILE_PATHS.users, ca: RECONCILE_PATHS.ca, tmp: '/tmp' });
  for (const path of [RECONCILE_PATHS.plan, RECONCILE_PATHS.users, RECONCILE_PATHS.ca, RECONCILE_PATHS.kafkaBin]) expect(RECONCILE_SCRIPT).toContain(`:-${path}}`);
  for (const [file, content] of files) if (file.startsWith('reconcile/')) expect(planMap.data[file.slice('reconcile/'.length)]).toBe(content);
  // Passwords reach the pod as mounted Secret files only.
  expect(JSON.stringify(container.env)).not.toMatch(/password/i);
});

describe('the CronJob\'s command against a fake cluster', () => {
  let fake: FakeKafka;
  const root = mkdtempSync(join(tmpdir(), 'k8s-reconcile-'));
  const at = (path: string) => join(root, path);
  beforeAll(async () => {
    fake = await FakeKafka.start();
    for (const path of [RECONCILE_PATHS.plan, RECONCILE_PATHS.users, RECONCILE_PATHS.ca, '/tmp']) mkdirSync(at(path), { recursive: true });
    for (const [file, content] of Object.entries<string>(planMap.data)) writeFileSync(join(at(RECONCILE_PATHS.plan), file), content);
    writeFileSync(join(at(RECONCILE_PATHS.ca), 'ca.crt'), 'not a real CA\n');
    for (const user of ['admin', 'orders', 'kafka-exporter']) writeFileSync(join(at(RECONCILE_PATHS.users), user), `${user}Password1`);
  });
  afterAll(() => {
    fake.cleanup();
    rmSync(root, { recursive: true, force: true });
  });
  const run = () =>
    runScript(join(at(RECONCILE_PATHS.plan), 'reconcile.sh'), {
      ...Object.fromEntries(container.env.map((variable: { name: string; value: string }) => [variable.name, variable.value])),
      TMPDIR: at('/tmp'),
      PLAN_DIR: at(RECONCILE_PATHS.plan),
      USERS_DIR: at(RECONCILE_PATHS.users),
      CA_DIR: at(RECONCILE_PATHS.ca),
      PREVIOUS_ADMIN_DIR: at(RECONCILE_PATHS.previousAdmin),
      KAFKA_BIN: fake.bin,
    });

  it('creates prod\'s topics and the application\'s quota, then finds nothing to do', () => {
    fake.set({ topics: {}, scram: { admin: 'adminPassword1' }, quotas: {}, acls: [] });
    const first = run();
    expect(first.stderr).toMatch(/reconcile: done: \d+ change\(s\)/);
    expect(first.status).toBe(0);
    const state = fake.state();
    expect(Object.keys(state.topics).sort()).toEqual(desiredTopics(model.spec).map((topic) => topic.name));
    expect(state.topics['orders.dlq']).toEqual({ partitions: 3, replicationFactor: 3, configs: { 'compression.type': 'zstd', 'min.insync.replicas': '2', 'retention.ms': '2592000000' } });
    expect(state.quotas['orders|']).toEqual({ producer_byte_rate: 52428800, consumer_byte_rate: 104857600 });
    expect(state.scram.orders).toBe('ordersPassword1');
    fake.set(state);
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('reconcile: done: nothing to change, the cluster matches the plan');
    expect(fake.changingCalls()).toEqual([]);
  });
});

it('runs in a dev cluster without authentication when it declares topics: plaintext, no CA or password mounts, schema-valid', () => {
  const plain = synthesizeEnvironment({ ...dev, topics: { scratch: { partitions: 3 } } });
  const job = plain.objects.find((object) => object.kind === 'CronJob' && object.metadata.name === 'kafka-reconcile')!;
  const plan = plain.objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'kafka-reconcile-plan')!;
  expect(plan.data['connection.env']).toContain("CLIENT_AUTHENTICATION='none'");
  expect(job.spec.jobTemplate.spec.template.spec.volumes.map((volume: { name: string }) => volume.name)).toEqual(['plan', 'tmp']);
  for (const object of [job, plan]) {
    expect(schemaOf(object)).toBeDefined();
    expect(schemaErrors(object)).toEqual([]);
  }
  // Without topics or quotas, an unauthenticated dev cluster has nothing to reconcile.
  expect(synthesizeEnvironment(dev).objects.some((object) => object.kind === 'CronJob' && object.metadata.name === 'kafka-reconcile')).toBe(false);
});
