/**
 * The reconcile on VMs, from the staging environment's real output: controllers' cloud-init carries the run script
 * and a systemd timer, the `<env>-kafka` stack an S3 bundle with the shared reconcile script and its plan; brokers
 * carry none of it. The run script is then executed for real against a fake Kafka cluster and a fake `aws` CLI
 * serving the bundle from "S3" and the passwords from "Secrets Manager".
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { staging } from '../../environments/staging';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { VM_FILES } from '../../constructs/kafka/vm/bootstrap';
import { vmArtifacts } from '../../constructs/kafka/vm/artifacts';
import { BUNDLE_PREFIX, BUNDLE_SCRIPT, RECONCILE_RUN_SCRIPT, VM_RECONCILE_PATHS, reconcileBucketName, vmReconcileBundle, vmReconcileSecretIds } from '../../constructs/kafka/vm/reconcile';
import { MAX_USER_DATA_BYTES, renderVmUserData } from '../../constructs/kafka/vm/bootstrap';
import { vmBootstrapOptions } from '../../constructs/kafka/vm/artifacts';
import { RECONCILE_SCRIPT } from '../../constructs/kafka/security/reconcile-script';
import { desiredTopics } from '../../constructs/kafka/topics/desired-topics';
import { bashShebang } from '../support/bash-path';
import { FakeKafka, runScript } from '../support/fake-kafka';
import { resourcesOf, synthEnvironment, unescapeHclString } from './support';
import { gzipSync } from 'node:zlib';

const model = buildClusterModel(validateEnvironment(staging));
const artifacts = vmArtifacts(model);
type File = { path: string; content: string };
const filesOf = (node: string): File[] => (parse(artifacts.get(`vm/${node}.cloud-init.yaml`)!) as { write_files: File[] }).write_files;
const fileOf = (files: File[], path: string) => files.find((file) => file.path === path)?.content;
const controller = (index: number) => model.controllers[index].name;

const bundle = vmReconcileBundle(model);
const bucket = reconcileBucketName(model.spec);

describe('the staging VM output', () => {
  it('gives every controller the run script and a timer, and the stack a bundle with the shared script and plan; brokers none', () => {
    for (const node of model.controllers) {
      const files = filesOf(node.name);
      expect(fileOf(files, VM_RECONCILE_PATHS.runScript)).toBe(RECONCILE_RUN_SCRIPT);
      expect(fileOf(files, VM_RECONCILE_PATHS.service)).toContain(`ExecStart=${VM_RECONCILE_PATHS.runScript}\n`);
      expect(fileOf(files, VM_RECONCILE_PATHS.service)).toContain('PrivateTmp=yes\n');
      expect(fileOf(files, VM_RECONCILE_PATHS.timer)).toContain('OnUnitActiveSec=10min\n');
      expect(fileOf(files, VM_FILES.bootstrapEnv)).toContain("RECONCILE_ENABLED='true'");
      expect(fileOf(files, VM_FILES.bootstrapEnv)).toContain(`RECONCILE_BUCKET='${bucket}'`);
      expect(fileOf(files, VM_FILES.bootstrapEnv)).toContain(`NODE_ID='${node.nodeId}'`);
      expect(fileOf(files, VM_FILES.bootstrapScript)).toContain('systemctl enable --now kafka-reconcile.timer');
    }
    expect(bundle[BUNDLE_SCRIPT]).toBe(RECONCILE_SCRIPT);
    expect(bundle['connection.env']).toContain(
      "KAFKA_BOOTSTRAP_SERVER='kafka-broker-eu-central-1a-0.kafka.staging.internal:9092,kafka-broker-eu-central-1b-0.kafka.staging.internal:9092,kafka-broker-eu-central-1c-0.kafka.staging.internal:9092'",
    );
    expect(bundle['topics.desired']).toBe('customer-profiles|3|3|present\norders|6|3|present\norders.dlq|1|3|present\npayments|6|3|present\n');
    // Secret names only: the passwords are fetched at run time.
    expect(bundle['users.secrets']).toBe('admin|kafka/staging/kafka/users/admin|\nkafka-exporter|kafka/staging/kafka/users/kafka-exporter|\norders|kafka/staging/kafka/users/orders|\n');
    for (const node of model.brokers) {
      const files = filesOf(node.name);
      expect(files.filter((file) => file.path.includes('reconcile'))).toEqual([]);
      expect(fileOf(files, VM_FILES.bootstrapEnv)).toContain("RECONCILE_ENABLED='false'");
    }
  });

  it('keeps the controllers\' user data well below EC2\'s 16 KiB: the bundle is not in it', () => {
    const options = vmBootstrapOptions(model);
    for (const node of model.nodes) expect(gzipSync(renderVmUserData(model, node, options)).length).toBeLessThan(MAX_USER_DATA_BYTES * 0.75);
  });

  it('lets controllers read exactly the SCRAM users\' secrets (application users included)', () => {
    expect(vmReconcileSecretIds(model)).toEqual(['kafka/staging/kafka/users/admin', 'kafka/staging/kafka/users/kafka-exporter', 'kafka/staging/kafka/users/orders']);
  });
});

it('grants controllers an existing secret by its own ARN, and brokers no user secret at all', () => {
  const arn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:team-billing/kafka-AbCdEf';
  const spec = { ...staging, security: { ...staging.security, users: { ...staging.security!.users, billing: { password: { awsSecret: arn, jsonKey: 'password' } } } } };
  const kafka = synthEnvironment(spec).get('staging-kafka')!.json;
  const documents = Object.entries(kafka.data!.aws_iam_policy_document as Record<string, any>);
  const readable = (kind: string) =>
    documents.find(([name]) => name.startsWith(`fleet_${kind}-policy`))![1].statement.find((statement: any) => statement.sid === 'ReadOwnBootSecrets').resources as string[];
  expect(readable('controller')).toContain(arn);
  expect(readable('controller').filter((resource) => resource.includes('/users/')).map((resource) => resource.replace(/^.*:secret:/, ''))).toEqual([
    'kafka/staging/kafka/users/admin-??????',
    'kafka/staging/kafka/users/kafka-exporter-??????',
    'kafka/staging/kafka/users/orders-??????',
  ]);
  expect(readable('broker').some((resource) => resource.includes('users'))).toBe(false);
  expect(resourcesOf(kafka, 'aws_instance').length).toBe(model.nodes.length);
  // The bundle: one object per file, byte for byte, in a private TLS-only bucket the controllers may list and read.
  const objects = resourcesOf(kafka, 'aws_s3_object');
  const withBilling = vmReconcileBundle(buildClusterModel(validateEnvironment(spec)));
  expect(Object.fromEntries(objects.map((object) => [object.key, unescapeHclString(object.content.slice(2, -1))]))).toEqual(
    Object.fromEntries(Object.entries(withBilling).map(([name, content]) => [`${BUNDLE_PREFIX}${name}`, content])),
  );
  expect(withBilling['users.secrets']).toContain(`billing|${arn}|password\n`);
  expect(resourcesOf(kafka, 'aws_s3_bucket').map((resource) => resource.bucket)).toEqual([bucket]);
  expect(resourcesOf(kafka, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  expect(readable('broker').some((resource) => resource.includes('s3'))).toBe(false);
});

describe('running the VM entry point (kafka-reconcile-run.sh) for real', () => {
  let fake: FakeKafka;
  const root = mkdtempSync(join(tmpdir(), 'vm-reconcile-'));
  const passwords = { admin: 'adminFromSecretsManager1', orders: 'ordersFromSecretsManager1', 'kafka-exporter': 'exporterFromSecretsManager1' };
  beforeAll(async () => {
    fake = await FakeKafka.start();
  });
  afterAll(() => {
    fake.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  /** Lays out a controller's cloud-init files under a private root, with the fake Kafka as KAFKA_HOME and a fake aws CLI. */
  const install = (node: string) => {
    const base = join(root, node);
    const at = (path: string) => join(base, path);
    for (const file of filesOf(node)) {
      mkdirSync(dirname(at(file.path)), { recursive: true });
      writeFileSync(at(file.path), file.content);
    }
    const env = readFileSync(at(VM_FILES.bootstrapEnv), 'utf8')
      .replace(/^KAFKA_HOME=.*$/m, `KAFKA_HOME='${fake.dir}'`)
      .replace(/^TLS_DIR=.*$/m, `TLS_DIR='${at('/etc/kafka/tls')}'`);
    writeFileSync(at(VM_FILES.bootstrapEnv), env);
    mkdirSync(at('/etc/kafka/tls'), { recursive: true });
    writeFileSync(at('/etc/kafka/tls/ca.crt'), 'not a real CA\n');
    // "S3": the bundle the stack uploads, at s3://<bucket>/<prefix><name>.
    mkdirSync(at(`/s3/${bucket}/${BUNDLE_PREFIX}`), { recursive: true });
    for (const [name, content] of Object.entries(bundle)) writeFileSync(at(`/s3/${bucket}/${BUNDLE_PREFIX}${name}`), content);
    // "Secrets Manager": plain-text secrets, as `<env>-secrets` generates them, and one JSON object {"password": ...}.
    const secrets = at('/secrets');
    mkdirSync(secrets);
    for (const [user, password] of Object.entries(passwords)) {
      writeFileSync(join(secrets, `kafka_staging_kafka_users_${user}.AWSCURRENT`), user === 'orders' ? `${JSON.stringify({ password })}\n` : `${password}\n`);
    }
    mkdirSync(at('/bin'));
    writeFileSync(
      at('/bin/aws'),
      [
        bashShebang(),
        `printf '%s\\n' "$*" >>'${at('/aws.calls')}'`,
        'if [ "$1 $2" = "s3 cp" ]; then',
        '  [ "$3" = --recursive ] || exit 2',
        '  for arg in "$@"; do case "$arg" in s3://*) source="${arg#s3://}" ;; esac; done',
        '  destination="${!#}"',
        `  cp -R '${at('/s3')}'/"$source"/. "$destination"`,
        '  exit 0',
        'fi',
        'while [ $# -gt 0 ]; do case "$1" in --secret-id) id="$2"; shift ;; --version-stage) stage="$2"; shift ;; esac; shift; done',
        `file='${secrets}'/"$(printf '%s' "$id" | tr / _).$stage"`,
        '[ -f "$file" ] || { echo "ResourceNotFoundException" >&2; exit 254; }',
        'cat "$file"',
        '',
      ].join('\n'),
    );
    chmodSync(at('/bin/aws'), 0o755);
    mkdirSync(at('/tmp'));
    return {
      at,
      run: () =>
        runScript(at(VM_RECONCILE_PATHS.runScript), {
          PATH: `${at('/bin')}:${process.env.PATH}`,
          TMPDIR: at('/tmp'),
          BOOTSTRAP_ENV: at(VM_FILES.bootstrapEnv),
        }),
    };
  };

  it('on the active controller: creates the declared topics, the application user and its quota, with passwords from Secrets Manager', () => {
    const node = install(controller(0));
    fake.set({ topics: {}, scram: { admin: passwords.admin }, quotas: {}, acls: [], leader: model.controllers[0].nodeId });
    const result = node.run();
    expect(result.stderr).toMatch(/reconcile: done: \d+ change\(s\)/);
    expect(result.status).toBe(0);
    const state = fake.state();
    expect(Object.keys(state.topics).sort()).toEqual(desiredTopics(model.spec).map((topic) => topic.name));
    expect(state.topics['customer-profiles'].configs).toEqual({ 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '3600000' });
    expect(state.scram.orders).toBe(passwords.orders);
    expect(state.quotas['orders|']).toEqual({ producer_byte_rate: 5242880, consumer_byte_rate: 10485760 });
    expect(state.acls).toEqual(expect.arrayContaining(['User:orders|ALLOW|*|WRITE|TOPIC|LITERAL|orders', 'User:orders|ALLOW|*|READ|GROUP|LITERAL|orders']));
    // No password on any command line (Kafka tools or aws), and nothing left in the run's temporary directory.
    const argv = [...fake.calls().map((call) => call.join(' ')), readFileSync(node.at('/aws.calls'), 'utf8')].join('\n');
    for (const password of Object.values(passwords)) expect(argv).not.toContain(password);
    expect(readdirSync(node.at('/tmp'))).toEqual([]);
    // A second run finds nothing to do.
    const again = node.run();
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('nothing to change');
  });

  it('on any other controller: stands by, so a lost active controller only moves the work', () => {
    const node = install(controller(1));
    fake.set({ topics: {}, scram: { admin: passwords.admin }, quotas: {}, acls: [], leader: model.controllers[0].nodeId });
    const result = node.run();
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`node ${model.controllers[1].nodeId} is not the active controller (node ${model.controllers[0].nodeId} is): standing by`);
    expect(fake.changingCalls()).toEqual([]);
    // The quorum elects controller 1: its next run acts.
    fake.set({ topics: {}, scram: { admin: passwords.admin }, quotas: {}, acls: [], leader: model.controllers[1].nodeId });
    expect(node.run().status).toBe(0);
    expect(Object.keys(fake.state().topics).length).toBe(desiredTopics(model.spec).length);
  });

  it('fails without touching the cluster when a secret cannot be read', () => {
    const node = install(controller(2));
    rmSync(node.at('/secrets/kafka_staging_kafka_users_orders.AWSCURRENT'));
    fake.set({ topics: {}, scram: { admin: passwords.admin }, quotas: {}, acls: [], leader: model.controllers[2].nodeId });
    const result = node.run();
    expect(result.status).not.toBe(0);
    expect(fake.calls()).toEqual([]);
  });
});
