import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AclEntry, aclLine, desiredAcls, ownedPrincipals, parseAclLine, planAcls } from '../../constructs/kafka/security/acl-plan';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { RECONCILE_SCRIPT, reconcilePlanFiles } from '../../constructs/kafka/security/reconcile-script';
import { ENVIRONMENTS, aProdSpecWithUsers, resolved } from './fixtures';

const spec = resolved(aProdSpecWithUsers({ retiredUsers: ['legacy'] }));
const model = buildClusterModel(spec);
const script = RECONCILE_SCRIPT;

function syntaxCheck(text: string, shell: 'bash' | 'sh'): string {
  const result = spawnSync(shell, ['-n'], { input: text, encoding: 'utf8' });
  return result.status === 0 ? '' : result.stderr;
}

test('the reconcile and roller scripts parse (bash -n)', () => {
  expect(syntaxCheck(script, 'bash')).toBe('');
  const mtls = resolved({
    ...ENVIRONMENTS.prod,
    kafka: { ...ENVIRONMENTS.prod.kafka, listeners: { client: { authentication: 'mtls' } } },
    monitoring: { ...ENVIRONMENTS.prod.monitoring, kafkaExporter: { enabled: false } },
    security: {},
  });
  expect(reconcilePlanFiles(buildClusterModel(mtls))['connection.env']).toContain("CLIENT_AUTHENTICATION='mtls'");
});

test('users, ACLs and the connection are plan data: the script is one file for every cluster', () => {
  const other = resolved(aProdSpecWithUsers({ users: { orders: { password: 'generated' } }, acls: {} }));
  expect(reconcilePlanFiles(buildClusterModel(other))).not.toEqual(reconcilePlanFiles(model));
  expect(reconcilePlanFiles(model)['connection.env']).toBe(
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
});

/** `kafka-acls.sh --list` output, in Kafka's format, grouped by resource. */
function kafkaAclListing(entries: readonly AclEntry[]): string {
  const byResource = new Map<string, AclEntry[]>();
  for (const entry of entries) {
    const key = `ResourcePattern(resourceType=${entry.resourceType}, name=${entry.name}, patternType=${entry.patternType})`;
    byResource.set(key, [...(byResource.get(key) ?? []), entry]);
  }
  return [...byResource]
    .map(
      ([resource, acls]) =>
        `Current ACLs for resource \`${resource}\`: \n${acls.map((acl) => ` \t(principal=${acl.principal}, host=${acl.host}, operation=${acl.operation}, permissionType=${acl.permission})`).join('\n')} \n`,
    )
    .join('\n');
}

/** Turns a logged kafka-acls.sh --add/--remove invocation back into a plan line. */
function lineOfCall(args: string[]): { action: string; line: string } {
  const value = (flag: string) => args[args.indexOf(flag) + 1];
  const allow = args.includes('--allow-principal');
  const operation = value('--operation').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const [type, name] = args.includes('--topic')
    ? ['TOPIC', value('--topic')]
    : args.includes('--group')
      ? ['GROUP', value('--group')]
      : args.includes('--transactional-id')
        ? ['TRANSACTIONAL_ID', value('--transactional-id')]
        : ['CLUSTER', 'kafka-cluster'];
  const principal = value(allow ? '--allow-principal' : '--deny-principal');
  const host = value(allow ? '--allow-host' : '--deny-host');
  const line = [principal, allow ? 'ALLOW' : 'DENY', host, operation, type, value('--resource-pattern-type').toUpperCase(), name].join('|');
  return { action: args.includes('--add') ? 'add' : 'remove', line };
}

describe('running the script against stub Kafka tools', () => {
  const work = mkdtempSync(join(tmpdir(), 'reconcile-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const dirs = { bin: join(work, 'bin'), plan: join(work, 'plan'), users: join(work, 'users'), previous: join(work, 'previous'), ca: join(work, 'ca') };
  Object.values(dirs).forEach((dir) => mkdirSync(dir));
  writeFileSync(join(dirs.ca, 'ca.crt'), 'not a real certificate\n');
  for (const [file, content] of Object.entries(reconcilePlanFiles(model))) writeFileSync(join(dirs.plan, file), content);
  writeFileSync(join(dirs.plan, 'reconcile.sh'), script);

  // Stub tools: calls are logged one per line (args joined by a tab); authentication succeeds when the
  // user:password pair in the client config is in kafka.known (what the "cluster" holds).
  const stub = (name: string, body: string) => {
    writeFileSync(join(dirs.bin, name), `#!/usr/bin/env bash\nset -eu\nSTUB='${work}'\n${body}\n`);
    chmodSync(join(dirs.bin, name), 0o755);
  };
  stub('kafka-broker-api-versions.sh', `config="$4"\nuser="$(sed -n 's/.*username="\\([^"]*\\)".*/\\1/p' "$config")"\npass="$(sed -n 's/.*password="\\([^"]*\\)".*/\\1/p' "$config")"\ngrep -qx "$user:$pass" "$STUB/kafka.known"`);
  stub('kafka-configs.sh', `(IFS=$'\\t'; echo "configs	$*") >>"$STUB/calls"\ncase "$*" in *--describe*legacy*) [ -e "$STUB/legacy.exists" ] \&\& echo "SCRAM credential configs for user-principal 'legacy' are SCRAM-SHA-512=iterations=8192" ;; esac`);
  stub('kafka-acls.sh', `case "$*" in *--list*) cat "$STUB/acls.list" ;; *) (IFS=$'\\t'; echo "acls	$*") >>"$STUB/calls" ;; esac`);

  const run = (passwords: Record<string, string>, known: string[], current: AclEntry[], previousAdmin?: string, legacyExists = true) => {
    rmSync(join(work, 'legacy.exists'), { force: true });
    if (legacyExists) writeFileSync(join(work, 'legacy.exists'), '');
    for (const [user, password] of Object.entries(passwords)) writeFileSync(join(dirs.users, user), password);
    rmSync(join(dirs.previous, 'password'), { force: true });
    if (previousAdmin) writeFileSync(join(dirs.previous, 'password'), previousAdmin);
    writeFileSync(join(work, 'kafka.known'), known.map((line) => `${line}\n`).join(''));
    writeFileSync(join(work, 'acls.list'), kafkaAclListing(current));
    writeFileSync(join(work, 'calls'), '');
    const result = spawnSync('bash', [join(dirs.plan, 'reconcile.sh')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, KAFKA_BIN: dirs.bin, PLAN_DIR: dirs.plan, USERS_DIR: dirs.users, PREVIOUS_ADMIN_DIR: dirs.previous, CA_DIR: dirs.ca },
    });
    const calls = readFileSync(join(work, 'calls'), 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t'));
    return { status: result.status, stderr: result.stderr, calls };
  };

  const passwords = { admin: 'adminPass1', orders: 'ordersPass1', billing: 'billingPass2', 'kafka-exporter': 'exporterPass1' };
  const desired = desiredAcls(spec);
  const entry = (principal: string, operation: string, name: string): AclEntry => ({ principal, permission: 'ALLOW', host: '*', operation, resourceType: 'TOPIC', patternType: 'LITERAL', name });
  const current = [
    ...desired.slice(0, 3),
    entry('User:orders', 'READ', 'dropped-from-spec'),
    entry('User:legacy', 'WRITE', 'old'),
    entry('User:someone-else', 'ALL', 'theirs'),
    entry('User:kafka-broker', 'CLUSTER_ACTION', 'x'),
  ];

  test('applies exactly the pure planner\'s ACL plan and never touches foreign principals', () => {
    const result = run(passwords, ['admin:adminPass1', 'orders:ordersPass1', 'billing:billingPass1', 'kafka-exporter:exporterPass1'], current);
    expect(result.stderr).toMatch(/reconcile: done/);
    expect(result.status).toBe(0);
    const acl = result.calls.filter((call) => call[0] === 'acls').map((call) => lineOfCall(call.slice(1)));
    const plan = planAcls(desired, current, ownedPrincipals(spec));
    expect(acl.filter((call) => call.action === 'add').map((call) => call.line).sort()).toEqual(plan.add.map(aclLine).sort());
    expect(acl.filter((call) => call.action === 'remove').map((call) => call.line).sort()).toEqual(plan.remove.map(aclLine).sort());
    expect(plan.remove.map(aclLine)).toEqual(['User:legacy|ALLOW|*|WRITE|TOPIC|LITERAL|old', 'User:orders|ALLOW|*|READ|TOPIC|LITERAL|dropped-from-spec']);
    expect(acl.some((call) => /someone-else|kafka-broker/.test(call.line))).toBe(false);
  });

  test('sets SCRAM credentials only where the Secret\'s password does not work, and deletes retired users', () => {
    const result = run(passwords, ['admin:adminPass1', 'orders:ordersPass1', 'billing:billingPass1', 'kafka-exporter:exporterPass1'], current);
    const configs = result.calls.filter((call) => call[0] === 'configs' && call.includes('--alter')).map((call) => call.slice(1));
    const altered = configs.map((call) => `${call[call.indexOf('--entity-name') + 1]} ${call.includes('--delete-config') ? 'delete' : 'set'}`);
    expect(altered).toEqual(['billing set', 'legacy delete']);
    expect(configs[0]).toContain('SCRAM-SHA-512=[iterations=8192,password=billingPass2]');
  });

  test('a second run against the reconciled state changes nothing', () => {
    const plan = planAcls(desired, current, ownedPrincipals(spec));
    const removed = new Set(plan.remove.map(aclLine));
    const after = [...current.filter((acl) => !removed.has(aclLine(acl))), ...plan.add];
    const result = run(passwords, ['admin:adminPass1', 'orders:ordersPass1', 'billing:billingPass2', 'kafka-exporter:exporterPass1'], after, undefined, false);
    expect(result.status).toBe(0);
    expect(result.calls.filter((call) => call.includes('--alter') || call.includes('--add') || call.includes('--remove'))).toEqual([]);
    expect(after.map(aclLine)).toContain('User:someone-else|ALLOW|*|ALL|TOPIC|LITERAL|theirs');
    expect(parseAclLine(aclLine(after[0]))).toEqual(after[0]);
  });

  test('after an admin rotation it logs in with the previous password and sets the new one', () => {
    const result = run(passwords, ['admin:oldAdmin', 'orders:ordersPass1', 'billing:billingPass2', 'kafka-exporter:exporterPass1'], desired, 'oldAdmin');
    expect(result.status).toBe(0);
    const adminSet = result.calls.find((call) => call.includes('--alter') && call.includes('admin'));
    expect(adminSet).toContain('SCRAM-SHA-512=[iterations=8192,password=adminPass1]');
  });

  test('fails loudly, printing no password, when admin cannot log in', () => {
    const result = run(passwords, [], desired);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/cannot authenticate as admin/);
    expect(result.stderr).not.toMatch(/adminPass1/);
  });

  test('refuses passwords that would break the JAAS line', () => {
    const result = run({ ...passwords, admin: 'bad"pass' }, ['admin:bad"pass'], desired);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/password of user admin contains characters/);
    expect(result.stderr).not.toMatch(/bad"pass/);
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
      writeFileSync(join(dirs.bin, name), `#!/usr/bin/env bash\nset -eu\n${body}\n`);
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
    stub('kafka-acls.sh', 'exit 0');
    stub('kafka-configs.sh', 'exit 0');
    const result = spawnSync('bash', [join(dirs.plan, 'reconcile.sh')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, KAFKA_BIN: dirs.bin, PLAN_DIR: dirs.plan, CA_DIR: dirs.ca, ADMIN_TLS_DIR: dirs.tls },
    });
    expect(result.stderr).toMatch(/reconcile: done/);
    expect(result.status).toBe(0);
  });
});
