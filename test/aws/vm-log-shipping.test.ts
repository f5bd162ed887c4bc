import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { alertGroups } from '../../constructs/kafka/monitoring/alert-rules';
import { VM_LOG_SHIPPING_FAILED_METRIC } from '../../constructs/kafka/monitoring/node-exporter';
import { LOG_RETENTION_DAYS } from '../../constructs/kafka/spec/aws';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { BOOTSTRAP_SCRIPT, VM_FILES, bootstrapEnv, renderVmUserData } from '../../constructs/kafka/vm/bootstrap';
import { vmBootstrapOptions } from '../../constructs/kafka/vm/artifacts';
import { CLOUDWATCH_AGENT_PACKAGE, LOG_SHIPPING_FILES, LOG_SHIPPING_SCRIPT, SHIPPED_LOGS, nodeLogShipping, vmLogGroupName } from '../../constructs/kafka/vm/log-shipping';
import { staging } from '../../environments/staging';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { type TerraformJson, modelOf, resourcesOf, synthEnvironment } from './support';

afterAll(removeTempDirs);

/** A production VM environment: the artifact mirror and no egress, as production requires; shipping left to its default. */
const aVmProdSpec = () =>
  withChange(aVmStagingSpec(), (draft) => {
    draft.name = 'prod';
    draft.tier = 'production';
    draft.runtime.artifactMirror = { bucket: 'acme-kafka-artifacts' };
  });
const optedOut = withChange(aVmProdSpec(), (draft) => (draft.runtime.logShipping = { enabled: false }));

/** The cloud-config a node receives, parsed. */
function userDataOf(spec: ReturnType<typeof aVmProdSpec>, nodeIndex = 0) {
  const model = modelOf(spec);
  const node = model.nodes[nodeIndex];
  const text = renderVmUserData(model, node, vmBootstrapOptions(model));
  return { model, node, cloudConfig: parse(text.replace(/^#cloud-config\n/, '')) as { output: { all: string }; write_files: { path: string; content: string }[]; runcmd: string[][] } };
}

function fileOf(cloudConfig: { write_files: { path: string; content: string }[] }, path: string): string | undefined {
  return cloudConfig.write_files.find((file) => file.path === path)?.content;
}

/** The policy document a `${data.aws_iam_policy_document.<name>.json}` reference points at. */
function documentOf(json: TerraformJson, reference: string): { statement: any[] } {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference);
  if (!match) throw new Error(`not a policy document reference: ${reference}`);
  return json.data!.aws_iam_policy_document[match[1]] as { statement: any[] };
}

describe('runtime.logShipping', () => {
  const problems = (spec: ReturnType<typeof aVmProdSpec>) => {
    try {
      validateEnvironment(spec);
      return '';
    } catch (error) {
      return String(error);
    }
  };

  it('is on by default in production and off elsewhere, retention a year', () => {
    expect(nodeLogShipping(validateEnvironment(aVmProdSpec()))).toEqual({ enabled: true, retentionDays: 365 });
    expect(nodeLogShipping(validateEnvironment(aVmStagingSpec()))).toEqual({ enabled: false, retentionDays: 365 });
    expect(nodeLogShipping(validateEnvironment(withChange(aVmStagingSpec(), (draft) => (draft.tier = 'dev'))))).toMatchObject({ enabled: false });
    expect(nodeLogShipping(validateEnvironment(aThreeZoneProdSpec()))).toMatchObject({ enabled: false });
  });

  it('honours an explicit opt-out in production, and an opt-in with its retention elsewhere', () => {
    expect(problems(optedOut)).toBe('');
    expect(nodeLogShipping(validateEnvironment(optedOut))).toMatchObject({ enabled: false });
    const optedIn = withChange(aVmStagingSpec(), (draft) => (draft.runtime.logShipping = { enabled: true, retentionDays: 30 }));
    expect(nodeLogShipping(validateEnvironment(optedIn))).toEqual({ enabled: true, retentionDays: 30 });
  });

  it.each([0, 10, 366, 3654, -1, 1.5])('rejects a retention of %p days, naming the field, the value and the allowed periods', (days) => {
    const message = problems(withChange(aVmProdSpec(), (draft) => (draft.runtime.logShipping = { retentionDays: days })));
    expect(message).toContain(`prod: runtime.logShipping.retentionDays = ${days}, must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')} (days)`);
  });

  it('accepts every period CloudWatch accepts', () => {
    for (const days of LOG_RETENTION_DAYS) expect(problems(withChange(aVmProdSpec(), (draft) => (draft.runtime.logShipping = { retentionDays: days })))).toBe('');
  });

  it('says so when a retention is given but nothing is shipped', () => {
    expect(problems(withChange(aVmStagingSpec(), (draft) => (draft.runtime.logShipping = { retentionDays: 30 })))).toContain(
      'staging: runtime.logShipping.retentionDays = 30, has no effect: log shipping is off by default in tier "staging"',
    );
    expect(problems(withChange(optedOut, (draft) => (draft.runtime.logShipping.retentionDays = 30)))).toContain('prod: runtime.logShipping.retentionDays = 30, has no effect: log shipping is off;');
  });

  it('rejects a misspelt key', () => {
    expect(problems(withChange(aVmProdSpec(), (draft) => (draft.runtime.logShipping = { enable: false })))).toContain('prod: runtime.logShipping.enable = false, is not a known field');
  });

  it('is turned on in the shipped staging environment, so the agent runs there before production', () => {
    expect(nodeLogShipping(validateEnvironment(staging))).toEqual({ enabled: true, retentionDays: 365 });
  });
});

describe('the CloudWatch agent configuration of a node', () => {
  const { model, node, cloudConfig } = userDataOf(aVmProdSpec());
  const config = JSON.parse(fileOf(cloudConfig, LOG_SHIPPING_FILES.agentConfig)!);
  const collected: { file_path: string; log_group_name: string; log_stream_name: string; multi_line_start_pattern?: string }[] = config.logs.logs_collected.files.collect_list;

  it('tails exactly the files Kafka\'s log4j config and cloud-init write on the node', () => {
    // Where the node's own files say the logs are: LOG_DIR in kafka.env, the appenders' files in log4j2.yaml.
    const logDir = /^LOG_DIR=(.+)$/m.exec(fileOf(cloudConfig, VM_FILES.kafkaEnv)!)![1];
    const log4j = parse(fileOf(cloudConfig, VM_FILES.log4j)!) as { Configuration: { Appenders: { RollingFile: { name: string; fileName: string }[] } } };
    const kafkaFiles = Object.fromEntries(log4j.Configuration.Appenders.RollingFile.map((appender) => [appender.name, appender.fileName.replace('${sys:kafka.logs.dir}', logDir)]));
    const bootLog = /^\| tee -a (\S+)$/.exec(cloudConfig.output.all)![1];
    expect(collected.map((entry) => entry.file_path)).toEqual([kafkaFiles.SERVER, kafkaFiles.CONTROLLER, kafkaFiles.STATE_CHANGE, bootLog]);
    expect(collected.map((entry) => entry.file_path)).toEqual(['/var/log/kafka/server.log', '/var/log/kafka/controller.log', '/var/log/kafka/state-change.log', '/var/log/cloud-init-output.log']);
  });

  it('writes everything into the environment\'s group, each file to a stream of its own named after the node', () => {
    expect(new Set(collected.map((entry) => entry.log_group_name))).toEqual(new Set(['/kafka/prod/kafka/nodes']));
    expect(collected.map((entry) => entry.log_stream_name)).toEqual(['server.log', 'controller.log', 'state-change.log', 'cloud-init-output.log'].map((file) => `${node.name}/${file}`));
  });

  it('gives every node and file of the cluster a stream no other writes to', () => {
    const streams = model.nodes.flatMap((_, index) => {
      const { cloudConfig: other } = userDataOf(aVmProdSpec(), index);
      return JSON.parse(fileOf(other, LOG_SHIPPING_FILES.agentConfig)!).logs.logs_collected.files.collect_list.map((entry: { log_stream_name: string }) => entry.log_stream_name);
    });
    expect(streams).toHaveLength(model.nodes.length * SHIPPED_LOGS.length);
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('joins a stack trace to its log line: the start pattern matches Kafka\'s layout and not a continuation', () => {
    const layout = /pattern: "(.*)"/.exec(fileOf(cloudConfig, VM_FILES.log4j)!)![1];
    expect(layout).toBe('[%d] %p %m (%c)%n');
    // Go's RE2 and JavaScript agree on this pattern's syntax (anchors, classes, counted repetition).
    const start = new RegExp(collected[0].multi_line_start_pattern!);
    expect(start.test('[2026-12-01 12:00:00,123] ERROR Error while loading log dir /var/lib/kafka/data (kafka.log.LogManager)')).toBe(true);
    expect(start.test('\tat kafka.log.LogManager.loadLog(LogManager.scala:350)')).toBe(false);
    expect(collected[3].multi_line_start_pattern).toBeUndefined();
  });

  it('is started by the bootstrap before anything else is installed, and the bootstrap goes on when it fails', () => {
    const lines = BOOTSTRAP_SCRIPT.split('\n');
    const shipping = lines.findIndex((line) => line.includes(LOG_SHIPPING_FILES.script));
    expect(lines[shipping]).toMatch(/ \|\| log "WARNING: /);
    expect(lines[shipping - 1]).toBe('if [ "$LOG_SHIPPING_ENABLED" = true ]; then');
    expect(shipping).toBeLessThan(lines.findIndex((line) => line.includes('dnf install -y --quiet "$JAVA_PACKAGE"')));
    expect(shipping).toBeLessThan(lines.findIndex((line) => line.includes('systemctl enable --now kafka.service')));
    expect(bootstrapEnv(model, node)).toMatch(/^LOG_SHIPPING_ENABLED='?true'?$/m);
    expect(LOG_SHIPPING_SCRIPT).toContain(`dnf install -y --quiet ${CLOUDWATCH_AGENT_PACKAGE}`);
  });

  it('is not on a node that does not ship its logs', () => {
    const { model: out, node: outNode, cloudConfig: outConfig } = userDataOf(optedOut);
    expect(fileOf(outConfig, LOG_SHIPPING_FILES.agentConfig)).toBeUndefined();
    expect(fileOf(outConfig, LOG_SHIPPING_FILES.script)).toBeUndefined();
    expect(bootstrapEnv(out, outNode)).toMatch(/^LOG_SHIPPING_ENABLED='?false'?$/m);
  });
});

/** Runs the script for real with rpm, dnf, the agent's ctl and systemctl stubbed; each stub logs its arguments. */
describe('kafka-log-shipping.sh', () => {
  const model = modelOf(aVmProdSpec());
  const node = model.brokers[0];
  const dir = makeTempDir('vm-log-shipping-');
  const bin = join(dir, 'bin');
  const metrics = join(dir, 'textfile');
  const calls = join(dir, 'calls');
  const ctl = join(bin, 'amazon-cloudwatch-agent-ctl');
  mkdirSync(bin);
  writeFileSync(join(dir, 'bootstrap.env'), bootstrapEnv(model, node).replace(/^NODE_EXPORTER_TEXTFILE_DIR=.*$/m, `NODE_EXPORTER_TEXTFILE_DIR='${metrics}'`));
  writeFileSync(join(dir, 'kafka-log-shipping.sh'), LOG_SHIPPING_SCRIPT.replace(VM_FILES.bootstrapEnv, join(dir, 'bootstrap.env')).replace('/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl', ctl));
  const stub = (name: string, status: number) => {
    writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> '${calls}'\nexit ${status}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const run = (stubs: { rpm: number; dnf: number; ctl: number; systemctl: number }) => {
    writeFileSync(calls, '');
    for (const [name, status] of Object.entries(stubs)) stub(name === 'ctl' ? 'amazon-cloudwatch-agent-ctl' : name, status);
    const result = spawnSync('bash', [join(dir, 'kafka-log-shipping.sh')], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    const gauge = existsSync(join(metrics, 'kafka-log-shipping.prom')) ? readFileSync(join(metrics, 'kafka-log-shipping.prom'), 'utf8') : '';
    return { status: result.status, stderr: result.stderr, calls: readFileSync(calls, 'utf8').trim().split('\n'), failed: new RegExp(`^${VM_LOG_SHIPPING_FAILED_METRIC} (\\d)$`, 'm').exec(gauge)?.[1] };
  };

  it('installs the agent, loads the node\'s configuration and reports success', () => {
    const result = run({ rpm: 1, dnf: 0, ctl: 0, systemctl: 0 });
    expect(result).toMatchObject({ status: 0, failed: '0' });
    expect(result.calls).toEqual([
      `rpm -q ${CLOUDWATCH_AGENT_PACKAGE}`,
      `dnf install -y --quiet ${CLOUDWATCH_AGENT_PACKAGE}`,
      `amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${LOG_SHIPPING_FILES.agentConfig}`,
      'systemctl is-active --quiet amazon-cloudwatch-agent',
    ]);
  });

  it('does not reinstall an installed agent', () => {
    expect(run({ rpm: 0, dnf: 1, ctl: 0, systemctl: 0 }).calls.filter((call) => call.startsWith('dnf'))).toEqual([]);
  });

  it.each([
    ['the package cannot be installed', { rpm: 1, dnf: 1, ctl: 0, systemctl: 0 }],
    ['the agent rejects its configuration', { rpm: 0, dnf: 0, ctl: 1, systemctl: 0 }],
    ['the agent does not stay up', { rpm: 0, dnf: 0, ctl: 0, systemctl: 3 }],
  ])('fails visibly when %s: a warning, exit 1 and the gauge at 1', (_, stubs) => {
    const result = run(stubs);
    expect(result).toMatchObject({ status: 1, failed: '1' });
    expect(result.stderr).toContain('WARNING: the CloudWatch agent did not start');
  });

  it('leaves the bootstrap running on to Kafka when it fails (set -e does not stop it)', () => {
    // The bootstrap from its start up to the Java install, with the log-shipping script failing.
    const head = BOOTSTRAP_SCRIPT.slice(0, BOOTSTRAP_SCRIPT.indexOf('log "installing $JAVA_PACKAGE"'));
    writeFileSync(join(dir, 'failing-shipping.sh'), '#!/bin/bash\nexit 1\n');
    chmodSync(join(dir, 'failing-shipping.sh'), 0o755);
    const script = `${head.replace(VM_FILES.bootstrapEnv, join(dir, 'bootstrap.env')).replace(LOG_SHIPPING_FILES.script, join(dir, 'failing-shipping.sh'))}echo reached-the-kafka-install\n`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: 'reached-the-kafka-install' });
    expect(result.stderr).toContain('kafka-bootstrap: WARNING: continuing without log shipping');
  });
});

describe('Terraform of a production VM environment', () => {
  const stacks = synthEnvironment(aVmProdSpec());
  const kafka = stacks.get('prod-kafka')!.json;
  const network = stacks.get('prod-network')!.json;
  const [group] = resourcesOf(kafka, 'aws_cloudwatch_log_group').filter((candidate) => candidate.name === '/kafka/prod/kafka/nodes');
  const keyOf = (reference: string) => resourcesOf(kafka, 'aws_kms_key').find((key) => reference === `\${aws_kms_key.${key.__name}.arn}`)!;

  it('has one node log group, with the retention and a customer-managed key', () => {
    expect(resourcesOf(kafka, 'aws_cloudwatch_log_group').filter((candidate) => candidate.name.startsWith('/kafka/'))).toHaveLength(1);
    expect(group.name).toBe(vmLogGroupName(validateEnvironment(aVmProdSpec())));
    expect(group.retention_in_days).toBe(365);
    const key = keyOf(group.kms_key_id);
    expect(key).toMatchObject({ enable_key_rotation: true });
  });

  it('takes the retention from the spec', () => {
    const stack = synthEnvironment(withChange(aVmProdSpec(), (draft) => (draft.runtime.logShipping = { retentionDays: 90 }))).get('prod-kafka')!.json;
    expect(resourcesOf(stack, 'aws_cloudwatch_log_group').find((candidate) => candidate.name === '/kafka/prod/kafka/nodes')!.retention_in_days).toBe(90);
  });

  it('shares the Session Manager transcript key, whose policy lets CloudWatch Logs use it for this group by encryption context', () => {
    const [sessions] = resourcesOf(kafka, 'aws_cloudwatch_log_group').filter((candidate) => candidate.name.endsWith('/sessions'));
    expect(sessions.kms_key_id).toBe(group.kms_key_id);
    const policy = documentOf(kafka, keyOf(group.kms_key_id).policy);
    const forLogs = policy.statement.filter((statement) => statement.principals?.some((principal: any) => principal.type === 'Service' && /^logs\./.test(principal.identifiers[0])));
    const nodes = forLogs.find((statement) => statement.sid === 'CloudWatchLogsUsesKeyForNodeLogGroup');
    expect(nodes.principals).toEqual([{ type: 'Service', identifiers: [expect.stringMatching(/^logs\.\$\{data\.aws_region\.[^}]+\.name\}\.amazonaws\.com$/)] }]);
    expect(nodes.condition).toEqual([
      { test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\}:logs:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\}:log-group:\/kafka\/prod\/kafka\/nodes$/)] },
    ]);
    // Every statement for the service is scoped to exactly one log group.
    for (const statement of forLogs) expect(statement.condition).toEqual([expect.objectContaining({ variable: 'kms:EncryptionContext:aws:logs:arn', values: [expect.stringMatching(/:log-group:[^*]+$/)] })]);
  });

  it.each(['controller', 'broker'])('lets the %s role create, describe and write streams of this group only', (role) => {
    const policy = resourcesOf(kafka, 'aws_iam_role_policy').find((candidate) => candidate.name === `kafka-${role}`)!;
    const logs = documentOf(kafka, policy.policy).statement.filter((statement) => statement.actions.some((action: string) => action.startsWith('logs:')));
    expect(logs).toHaveLength(1);
    expect([...logs[0].actions].sort()).toEqual(['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']);
    const groupArn = /^(arn:.*:log-group:\/kafka\/prod\/kafka\/nodes)$/.exec(logs[0].resources[0])![1];
    expect(logs[0].resources).toEqual([groupArn, `${groupArn}:log-stream:*`]);
    expect(logs[0].condition).toBeUndefined();
  });

  it('grants no node role any other logs permission (no CreateLogGroup, no "*" resource)', () => {
    const statements = resourcesOf(kafka, 'aws_iam_role_policy').flatMap((policy) => documentOf(kafka, policy.policy).statement);
    const logs = statements.filter((statement) => statement.actions.some((action: string) => /^logs:|^\*$/.test(action)));
    expect(logs.flatMap((statement) => statement.resources).filter((resource: string) => !resource.includes(':log-group:/kafka/prod/kafka/nodes'))).toEqual([]);
  });

  it('creates the group before the instances whose agents write to it', () => {
    for (const instance of resourcesOf(kafka, 'aws_instance')) expect(instance.depends_on).toContain(`aws_cloudwatch_log_group.${group.__name}`);
  });

  it('reaches CloudWatch Logs without internet: an interface endpoint for the own account\'s principals and resources', () => {
    expect(resourcesOf(network, 'aws_nat_gateway')).toEqual([]);
    const endpoint = resourcesOf(network, 'aws_vpc_endpoint').find((candidate) => candidate.service_name === 'com.amazonaws.eu-central-1.logs')!;
    expect(endpoint).toMatchObject({ vpc_endpoint_type: 'Interface', private_dns_enabled: true });
    expect(documentOf(network, endpoint.policy).statement).toEqual([
      expect.objectContaining({
        condition: [
          expect.objectContaining({ test: 'StringEquals', variable: 'aws:PrincipalAccount' }),
          expect.objectContaining({ test: 'StringEquals', variable: 'aws:ResourceAccount' }),
        ],
      }),
    ]);
  });

  it('installs the agent from the Amazon Linux repositories, which the S3 gateway endpoint lets through', () => {
    const s3 = resourcesOf(network, 'aws_vpc_endpoint').find((candidate) => candidate.service_name === 'com.amazonaws.eu-central-1.s3')!;
    const repositories = documentOf(network, s3.policy).statement.find((statement) => statement.sid === 'AmazonLinuxRepositories');
    expect(repositories).toMatchObject({ actions: ['s3:GetObject'], resources: [expect.stringMatching(/:s3:::al2023-repos-eu-central-1-de612dc2\/\*$/)] });
  });

  it('alerts when a node\'s agent did not start', () => {
    const alerts = alertGroups(modelOf(aVmProdSpec())).flatMap((alertGroup) => alertGroup.alerts);
    expect(alerts.find((alert) => alert.alert === 'KafkaVmLogShippingFailed')?.expr).toContain(`${VM_LOG_SHIPPING_FAILED_METRIC}{`);
  });
});

describe('Terraform of a production VM environment that opted out', () => {
  const kafka = synthEnvironment(optedOut).get('prod-kafka')!.json;

  it('has no node log group, no logs permission in the node roles, no shipping alert', () => {
    expect(resourcesOf(kafka, 'aws_cloudwatch_log_group').map((group) => group.name)).toEqual(['/aws/ssm/prod-kafka/sessions']);
    const statements = resourcesOf(kafka, 'aws_iam_role_policy').flatMap((policy) => documentOf(kafka, policy.policy).statement);
    expect(statements.filter((statement) => statement.actions.some((action: string) => action.startsWith('logs:')))).toEqual([]);
    for (const instance of resourcesOf(kafka, 'aws_instance')) expect(instance.depends_on ?? []).toEqual([]);
    expect(alertGroups(modelOf(optedOut)).flatMap((alertGroup) => alertGroup.alerts.map((alert) => alert.alert))).not.toContain('KafkaVmLogShippingFailed');
  });
});
