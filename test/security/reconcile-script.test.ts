import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AclEntry, aclLine, desiredAcls, ownedPrincipals, parseAclLine, planAcls } from '../../constructs/kafka/security/acl-plan';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { RECONCILE_SCRIPT, reconcilePlanFiles } from '../../constructs/kafka/security/reconcile-script';
import { desiredTopics } from '../../constructs/kafka/topics/desired-topics';
import { type CurrentTopic, planTopics } from '../../constructs/kafka/topics/topic-plan';
import { desiredQuotas, planQuotas } from '../../constructs/kafka/topics/quota-plan';
import { FakeKafka, type FakeClusterState, runScript } from '../support/fake-kafka';
import { bashShebang } from '../support/bash-path';
import { ENVIRONMENTS, aProdSpecWithUsers, resolved } from './fixtures';

const input = aProdSpecWithUsers({ retiredUsers: ['legacy'] });
const spec = resolved({
  ...input,
  topics: { ...input.topics, 'old.events': { partitions: 3, deleted: true } },
  quotas: [
    ...(input.quotas ?? []),
    { clientId: 'batch-import', limits: { request_percentage: 50 } },
    { user: '<default>', limits: { producer_byte_rate: 1048576 } },
  ],
});
const model = buildClusterModel(spec);
const script = RECONCILE_SCRIPT;

function syntaxCheck(text: string): string {
  const result = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
  return result.status === 0 ? '' : result.stderr;
}

test('the reconcile script parses (bash -n)', () => {
  expect(syntaxCheck(script)).toBe('');
});

test('users, ACLs, topics, quotas and the connection are plan data: the script is one file for every cluster', () => {
  const other = resolved(aProdSpecWithUsers({ users: { orders: { password: 'generated' } }, acls: {} }));
  expect(reconcilePlanFiles(buildClusterModel(other))).not.toEqual(reconcilePlanFiles(model));
  const plan = reconcilePlanFiles(model);
  expect(plan['connection.env']).toBe(
    [
      '# How the reconcile of cluster kafka (environment prod) connects. Generated; no secrets.',
      "KAFKA_CLUSTER='kafka'",
      "KAFKA_BOOTSTRAP_SERVER='kafka-bootstrap.kafka.svc:9092'",
      "CLIENT_SECURITY_PROTOCOL='SASL_SSL'",
      "CLIENT_TLS='true'",
      "CLIENT_AUTHENTICATION='scram-sha-512'",
      "ADMIN_USER='admin'",
      '',
    ].join('\n'),
  );
  expect(plan['topics.desired']).toBe(
    ['customer-profiles|12|3|present', 'old.events|3|3|deleted', 'orders|24|3|present', 'orders.dlq|3|3|present', 'payments|24|3|present', ''].join('\n'),
  );
  expect(plan['topics.configs']).toContain('orders.dlq|retention.ms|2592000000\n');
  expect(plan['topics.configs']).toContain('customer-profiles|cleanup.policy|compact\n');
  expect(plan['quotas.entities']).toBe('<default>|\norders|\n|batch-import\n');
  expect(plan['quotas.desired']).toBe(
    ['<default>||producer_byte_rate|1048576', 'orders||producer_byte_rate|52428800', 'orders||consumer_byte_rate|104857600', '|batch-import|request_percentage|50', ''].join('\n'),
  );
  const mtls = resolved({
    ...ENVIRONMENTS.prod,
    kafka: { ...ENVIRONMENTS.prod.kafka, listeners: { client: { authentication: 'mtls' } } },
    monitoring: { ...ENVIRONMENTS.prod.monitoring, kafkaExporter: { enabled: false } },
    security: {},
  });
  expect(reconcilePlanFiles(buildClusterModel(mtls))['connection.env']).toContain("CLIENT_AUTHENTICATION='mtls'");
  const dev = reconcilePlanFiles(buildClusterModel(resolved({ ...ENVIRONMENTS.dev, topics: { scratch: { partitions: 1 } } })));
  expect(dev['connection.env']).toContain("CLIENT_AUTHENTICATION='none'");
});

describe('running the script against a fake Kafka cluster', () => {
  let fake: FakeKafka;
  beforeAll(async () => {
    fake = await FakeKafka.start();
  });
  const work = mkdtempSync(join(tmpdir(), 'reconcile-'));
  afterAll(() => {
    fake.cleanup();
    rmSync(work, { recursive: true, force: true });
  });
  const dirs = { plan: join(work, 'plan'), users: join(work, 'users'), previous: join(work, 'previous'), ca: join(work, 'ca') };
  Object.values(dirs).forEach((dir) => mkdirSync(dir));
  writeFileSync(join(dirs.ca, 'ca.crt'), 'not a real certificate\n');
  for (const [file, content] of Object.entries(reconcilePlanFiles(model))) writeFileSync(join(dirs.plan, file), content);
  writeFileSync(join(dirs.plan, 'reconcile.sh'), script);

  const passwords = { admin: 'adminPass1', orders: 'ordersPass1', billing: 'billingPass2', 'kafka-exporter': 'exporterPass1' };
  const run = (state: FakeClusterState, options: { passwords?: Record<string, string>; previousAdmin?: string; env?: Record<string, string> } = {}) => {
    fake.set(state);
    for (const [user, password] of Object.entries(options.passwords ?? passwords)) writeFileSync(join(dirs.users, user), password);
    rmSync(join(dirs.previous, 'password'), { force: true });
    if (options.previousAdmin) writeFileSync(join(dirs.previous, 'password'), options.previousAdmin);
    const result = runScript(join(dirs.plan, 'reconcile.sh'), {
      KAFKA_BIN: fake.bin,
      PLAN_DIR: dirs.plan,
      USERS_DIR: dirs.users,
      PREVIOUS_ADMIN_DIR: dirs.previous,
      CA_DIR: dirs.ca,
      ...options.env,
    });
    return { ...result, calls: fake.calls(), changing: fake.changingCalls(), after: fake.state() };
  };

  const desired = desiredAcls(spec);
  const entry = (principal: string, operation: string, name: string): AclEntry => ({ principal, permission: 'ALLOW', host: '*', operation, resourceType: 'TOPIC', patternType: 'LITERAL', name });
  const currentAcls = [
    ...desired.slice(0, 3),
    entry('User:orders', 'READ', 'dropped-from-spec'),
    entry('User:legacy', 'WRITE', 'old'),
    entry('User:someone-else', 'ALL', 'theirs'),
    entry('User:kafka-broker', 'CLUSTER_ACTION', 'x'),
  ];
  const throttle = { 'leader.replication.throttled.replicas': '0:100,0:200' };
  /** A cluster that has drifted from the spec in every way the reconcile handles, and holds things it does not own. */
  const drifted = (): FakeClusterState => ({
    scram: { admin: 'adminPass1', orders: 'ordersPass1', billing: 'billingPass1', 'kafka-exporter': 'exporterPass1', legacy: 'x' },
    acls: currentAcls.map(aclLine),
    topics: {
      // Fewer partitions, a stale value, a config the spec no longer declares, and a reassignment's throttle.
      orders: { partitions: 12, replicationFactor: 3, configs: { 'retention.ms': '86400000', 'segment.ms': '3600000', ...throttle } },
      // Exactly as declared.
      payments: { partitions: 24, replicationFactor: 3, configs: { 'min.insync.replicas': '2', 'retention.ms': '604800000' } },
      'old.events': { partitions: 3, replicationFactor: 3, configs: {} },
      'someone-elses': { partitions: 1, replicationFactor: 1, configs: { 'retention.ms': '1' } },
      // Matches "old.events" read as a regular expression, as kafka-topics.sh reads --topic: must survive.
      'old-events': { partitions: 1, replicationFactor: 3, configs: {} },
      __consumer_offsets: { partitions: 50, replicationFactor: 3, configs: { 'cleanup.policy': 'compact' } },
    },
    quotas: {
      'orders|': { producer_byte_rate: 52428800, request_percentage: 200 },
      'intruder|': { producer_byte_rate: 1 },
    },
  });
  const currentOf = (state: FakeClusterState): CurrentTopic[] => Object.entries(state.topics).map(([name, topic]) => ({ name, ...topic }));

  let converged: FakeClusterState;

  test('converges a drifted cluster exactly as the pure planners say, touching nothing it does not own', () => {
    const before = drifted();
    const result = run(before);
    expect(result.stderr).toMatch(/reconcile: done: \d+ change\(s\)/);
    expect(result.status).toBe(0);
    converged = result.after;

    // ACLs: the planner's additions and removals, nothing of foreign principals.
    const plan = planAcls(desired, currentAcls, ownedPrincipals(spec));
    const removed = new Set(plan.remove.map(aclLine));
    expect([...result.after.acls].sort()).toEqual([...currentAcls.filter((acl) => !removed.has(aclLine(acl))), ...plan.add].map(aclLine).sort());
    expect(plan.remove.map(aclLine)).toEqual(['User:legacy|ALLOW|*|WRITE|TOPIC|LITERAL|old', 'User:orders|ALLOW|*|READ|TOPIC|LITERAL|dropped-from-spec']);
    expect(result.after.acls).toEqual(expect.arrayContaining(['User:someone-else|ALLOW|*|ALL|TOPIC|LITERAL|theirs', 'User:kafka-broker|ALLOW|*|CLUSTER_ACTION|TOPIC|LITERAL|x']));

    // SCRAM: only the user whose Secret password no longer works is set; the retired one is deleted.
    expect(result.after.scram).toEqual({ admin: 'adminPass1', orders: 'ordersPass1', billing: 'billingPass2', 'kafka-exporter': 'exporterPass1' });

    // Topics: the planner's plan, applied.
    const topicPlan = planTopics(desiredTopics(spec), currentOf(before));
    expect(topicPlan.create.map((topic) => topic.name)).toEqual(['customer-profiles', 'orders.dlq']);
    expect(topicPlan.increasePartitions).toEqual([{ name: 'orders', from: 12, to: 24 }]);
    expect(topicPlan.alterConfigs).toEqual([{ name: 'orders', set: { 'compression.type': 'zstd', 'min.insync.replicas': '2', 'retention.ms': '604800000' }, delete: ['segment.ms'] }]);
    expect(topicPlan.delete).toEqual(['old.events']);
    expect(topicPlan.unmanaged).toEqual(['old-events', 'someone-elses']);
    for (const topic of desiredTopics(spec).filter((topic) => !topic.deleted)) {
      const extra = topic.name === 'orders' ? throttle : {};
      expect({ name: topic.name, ...result.after.topics[topic.name] }).toEqual({
        name: topic.name,
        partitions: topic.partitions,
        replicationFactor: topic.replicationFactor,
        configs: { ...topic.configs, ...extra },
      });
    }
    expect(result.after.topics['old.events']).toBeUndefined();
    expect(result.after.topics['old-events']).toEqual(before.topics['old-events']);
    // Not owned: untouched, and reported.
    expect(result.after.topics['someone-elses']).toEqual(before.topics['someone-elses']);
    expect(result.after.topics.__consumer_offsets).toEqual(before.topics.__consumer_offsets);
    expect(result.stderr).toContain('topic someone-elses: unmanaged (not in the spec), left alone');
    expect(result.stderr).not.toMatch(/__consumer_offsets/);
    expect(result.changing.filter((call) => call.includes('someone-elses'))).toEqual([]);

    // Quotas: declared entities as the planner says (Kafka's doubles compare as numbers), others untouched.
    const current = new Map(Object.entries(before.quotas));
    expect(planQuotas(desiredQuotas(spec), current)).toEqual([
      { entity: '<default>|', set: { producer_byte_rate: 1048576 }, delete: [] },
      { entity: 'orders|', set: { consumer_byte_rate: 104857600 }, delete: ['request_percentage'] },
      { entity: '|batch-import', set: { request_percentage: 50 }, delete: [] },
    ]);
    expect(result.after.quotas).toEqual({
      'orders|': { producer_byte_rate: 52428800, consumer_byte_rate: 104857600 },
      'intruder|': { producer_byte_rate: 1 },
      '<default>|': { producer_byte_rate: 1048576 },
      '|batch-import': { request_percentage: 50 },
    });
    const defaultCall = result.changing.find((call) => call.includes('--entity-default'));
    expect(defaultCall).toEqual(expect.arrayContaining(['--entity-type', 'users', '--add-config', 'producer_byte_rate=1048576']));
  });

  test('a second run against the reconciled state changes nothing and says so', () => {
    const result = run(converged);
    expect(result.status).toBe(0);
    expect(result.changing).toEqual([]);
    expect(result.stderr).toMatch(/reconcile: done: nothing to change, the cluster matches the plan/);
    expect(planTopics(desiredTopics(spec), currentOf(converged)).create).toEqual([]);
    expect(parseAclLine(converged.acls[0])).toBeDefined();
  });

  test('refuses to lower partitions or change a replication factor, says why, applies the rest and exits 3', () => {
    const state = structuredClone(converged);
    state.topics.orders = { ...state.topics.orders, partitions: 48 };
    state.topics.payments = { ...state.topics.payments, replicationFactor: 2 };
    state.topics['customer-profiles'].configs['cleanup.policy'] = 'delete';
    const result = run(state);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('REFUSED: topic orders: the spec asks for 24 partitions, the cluster has 48; Kafka cannot remove partitions');
    expect(result.stderr).toContain('REFUSED: topic payments: replication factor 2 on the cluster, 3 in the spec; changing it moves data: run a rack-aware, throttled kafka-reassign-partitions.sh');
    expect(result.after.topics.orders.partitions).toBe(48);
    expect(result.after.topics.payments.replicationFactor).toBe(2);
    // The rest still converges.
    expect(result.after.topics['customer-profiles'].configs['cleanup.policy']).toBe('compact');
    const plan = planTopics(desiredTopics(spec), currentOf(state));
    expect(plan.refused.map((refusal) => refusal.name)).toEqual(['orders', 'payments']);
    for (const refusal of plan.refused) expect(result.stderr).toContain(`REFUSED: ${refusal.reason}`);
  });

  test('never puts a password on a command line: SCRAM credentials go through --add-config-file', () => {
    const result = run(drifted());
    const argv = result.calls.map((call) => call.join(' ')).join('\n');
    for (const password of [...Object.values(passwords), 'billingPass1']) expect(argv).not.toContain(password);
    const scramCall = result.changing.find((call) => call.includes('billing') && call.includes('--add-config-file'));
    expect(scramCall).toBeDefined();
    expect(result.calls.some((call) => call.includes('--add-config') && call.some((arg) => arg.includes('SCRAM')))).toBe(false);
  });

  test('after an admin rotation it logs in with the previous password and sets the new one', () => {
    const result = run({ ...converged, scram: { ...converged.scram, admin: 'oldAdmin' } }, { previousAdmin: 'oldAdmin' });
    expect(result.status).toBe(0);
    expect(result.after.scram.admin).toBe('adminPass1');
    expect(result.calls.map((call) => call.join(' ')).join('\n')).not.toContain('oldAdmin');
  });

  test('fails loudly, printing no password, when admin cannot log in', () => {
    const result = run({ ...converged, scram: {} });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/cannot authenticate as admin/);
    expect(result.stderr).not.toMatch(/adminPass1/);
    expect(result.changing).toEqual([]);
  });

  test('refuses passwords that would break the JAAS line', () => {
    const result = run({ ...converged, scram: { ...converged.scram, admin: 'bad"pass' } }, { passwords: { ...passwords, admin: 'bad"pass' } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/password of user admin contains characters/);
    expect(result.stderr).not.toMatch(/bad"pass/);
  });

  test('with ACTIVE_CONTROLLER_NODE_ID (VMs) it acts only on the active controller', () => {
    const standby = run({ ...drifted(), leader: 1 }, { env: { ACTIVE_CONTROLLER_NODE_ID: '2' } });
    expect(standby.status).toBe(0);
    expect(standby.stderr).toContain('node 2 is not the active controller (node 1 is): standing by');
    expect(standby.changing).toEqual([]);
    const active = run({ ...drifted(), leader: 2 }, { env: { ACTIVE_CONTROLLER_NODE_ID: '2' } });
    expect(active.status).toBe(0);
    expect(active.changing.length).toBeGreaterThan(0);
    expect(active.calls.some((call) => call[0] === 'kafka-metadata-quorum.sh' && call.includes('--status'))).toBe(true);
  });
});

describe('without authentication (dev)', () => {
  test('reconciles topics with a plaintext admin client and skips users and ACLs', async () => {
    const devModel = buildClusterModel(resolved({ ...ENVIRONMENTS.dev, topics: { scratch: { partitions: 2, configs: { 'retention.ms': 3600000 } } } }));
    const fake = await FakeKafka.start();
    const plan = join(fake.dir, 'plan');
    mkdirSync(plan);
    for (const [file, content] of Object.entries(reconcilePlanFiles(devModel))) writeFileSync(join(plan, file), content);
    writeFileSync(join(plan, 'reconcile.sh'), RECONCILE_SCRIPT);
    fake.set({ topics: {}, scram: {}, quotas: {}, acls: [], securityProtocol: 'PLAINTEXT' });
    const result = runScript(join(plan, 'reconcile.sh'), { KAFKA_BIN: fake.bin, PLAN_DIR: plan });
    fake.cleanup();
    expect(result.stderr).toMatch(/reconcile: done: 1 change/);
    expect(result.status).toBe(0);
  });
});

describe('the mTLS admin client config', () => {
  // Kafka's DefaultSslEngineFactory takes ssl.keystore.certificate.chain/key as PEM *content* (a file name there is
  // "Invalid PEM keystore configs"), and refuses a PEM ssl.keystore.location without ssl.key.password. This stub
  // resolves values the way Kafka does (literal, or a DirectoryConfigProvider reference declared in the same file)
  // and authenticates only when both resolve to PEM.
  const mtlsModel = buildClusterModel(
    resolved({
      ...ENVIRONMENTS.prod,
      kafka: { ...ENVIRONMENTS.prod.kafka, listeners: { client: { authentication: 'mtls' } } },
      monitoring: { ...ENVIRONMENTS.prod.monitoring, kafkaExporter: { enabled: false } },
      security: {},
    }),
  );
  const work = mkdtempSync(join(tmpdir(), 'reconcile-mtls-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('passes the admin certificate and key to Kafka as PEM, read through a config provider', () => {
    const dirs = { bin: join(work, 'bin'), plan: join(work, 'plan'), ca: join(work, 'ca'), tls: join(work, 'admin-tls') };
    Object.values(dirs).forEach((dir) => mkdirSync(dir));
    writeFileSync(join(dirs.ca, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dirs.tls, 'tls.crt'), '-----BEGIN CERTIFICATE-----\nYWRtaW4=\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dirs.tls, 'tls.key'), '-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n');
    for (const [file, content] of Object.entries(reconcilePlanFiles(mtlsModel))) writeFileSync(join(dirs.plan, file), content);
    writeFileSync(join(dirs.plan, 'reconcile.sh'), RECONCILE_SCRIPT);
    const stub = (name: string, body: string) => {
      writeFileSync(join(dirs.bin, name), `${bashShebang()}\nset -eu\n${body}\n`);
      chmodSync(join(dirs.bin, name), 0o755);
    };
    stub(
      'kafka-broker-api-versions.sh',
      [
        'config="$4"',
        'prop() { sed -n "s/^$1=//p" "$config"; }',
        'pem() {',
        '  case "$1" in',
        "    '${'*'}')",
        '      local inner="${1#??}"; inner="${inner%?}"; local alias="${inner%%:*}" rest="${inner#*:}"',
        '      grep -qx "config.providers=$alias" "$config" || return 1',
        '      grep -qx "config.providers.$alias.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider" "$config" || return 1',
        '      cat "${rest%:*}/${rest##*:}" ;;',
        "    *) printf '%s\\n' \"$1\" ;;",
        '  esac',
        '}',
        'grep -qx "ssl.keystore.type=PEM" "$config"',
        'pem "$(prop ssl.keystore.certificate.chain)" | grep -q -- "-----BEGIN CERTIFICATE-----"',
        'pem "$(prop ssl.keystore.key)" | grep -q -- "-----BEGIN PRIVATE KEY-----"',
      ].join('\n'),
    );
    for (const tool of ['kafka-acls.sh', 'kafka-configs.sh', 'kafka-topics.sh']) stub(tool, 'exit 0');
    const result = runScript(join(dirs.plan, 'reconcile.sh'), { KAFKA_BIN: dirs.bin, PLAN_DIR: dirs.plan, CA_DIR: dirs.ca, ADMIN_TLS_DIR: dirs.tls });
    expect(result.stderr).toMatch(/reconcile: done/);
    expect(result.status).toBe(0);
  });
});
