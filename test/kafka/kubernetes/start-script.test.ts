import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterModel, type ClusterModel } from '../../../constructs/kafka/model/cluster-model';
import {
  KAFKA_FORMAT_SCRIPT,
  KAFKA_START_SCRIPT,
  createsAdminAtFormat,
  kafkaFormatEnvironment,
  kafkaStartEnvironment,
} from '../../../constructs/kafka/kubernetes/start-script';
import { KAFKA_HOME, KUBERNETES_CONFIG_DIR } from '../../../constructs/kafka/kubernetes/deployment-plan';
import type { NodeRole } from '../../../constructs/kafka/model/sizing';
import { validateEnvironment } from '../../../constructs/kafka/validation/validate';
import { dev } from '../../../environments/dev';
import { prod } from '../../../environments/prod';

const POD = 'kafka-controller-0';

/**
 * Runs a real script under `sh` with stand-ins for Kafka's tools (they log their arguments), the config folder and
 * the node's log dir in a temporary directory; `formatted` leaves a meta.properties there first.
 */
function run(script: string, env: Record<string, string>, options: { formatted?: boolean } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'kafka-start-'));
  try {
    const bin = join(root, 'bin');
    const configDir = join(root, 'nodes');
    const logDir = join(root, 'metadata');
    for (const dir of [bin, configDir, logDir]) mkdirSync(dir);
    for (const tool of ['kafka-storage.sh', 'kafka-server-start.sh']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${root}/${tool}.args"\necho "EXTRA_ARGS=$EXTRA_ARGS" >> "${root}/${tool}.args"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    writeFileSync(join(configDir, `${POD}.properties`), `node.id=0\nlog.dirs=${logDir}\n`);
    if (options.formatted) writeFileSync(join(logDir, 'meta.properties'), 'cluster.id=x\n');
    const local = script.replaceAll(`${KAFKA_HOME}/bin`, bin).replaceAll(KUBERNETES_CONFIG_DIR, configDir);
    const result = spawnSync('sh', ['-c', local], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    const args = (tool: string) => (existsSync(join(root, `${tool}.args`)) ? readFileSync(join(root, `${tool}.args`), 'utf8').trim().split('\n') : undefined);
    return { status: result.status, stderr: result.stderr, format: args('kafka-storage.sh'), start: args('kafka-server-start.sh'), config: join(configDir, `${POD}.properties`) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The environment the pod template gives a container of `role`, plus the pod's own facts. */
function envOf(variables: { name: string; value: string }[], extra: Record<string, string>): Record<string, string> {
  return { ...Object.fromEntries(variables.map(({ name, value }) => [name, value])), POD_NAME: POD, ...extra };
}

const prodModel = buildClusterModel(validateEnvironment(prod));
const devModel = buildClusterModel(validateEnvironment(dev));
const formatEnv = (model: ClusterModel, role: NodeRole, extra: Record<string, string> = {}) => envOf(kafkaFormatEnvironment(model, role), extra);

it('reads Kafka and the node configs where the deployment plan puts them', () => {
  expect(KAFKA_FORMAT_SCRIPT).toContain(`${KAFKA_HOME}/bin/kafka-storage.sh`);
  expect(KAFKA_START_SCRIPT).toContain(`${KAFKA_HOME}/bin/kafka-server-start.sh`);
  for (const script of [KAFKA_FORMAT_SCRIPT, KAFKA_START_SCRIPT]) expect(script).toContain(`${KUBERNETES_CONFIG_DIR}/\${POD_NAME}.properties`);
});

describe('the format init container', () => {
  it('formats idempotently with the cluster id and, on a blank controller, creates the admin SCRAM user', () => {
    const result = run(KAFKA_FORMAT_SCRIPT, formatEnv(prodModel, 'controller', { KAFKA_ADMIN_PASSWORD: 's3cretPassw0rd' }));
    expect(result.status).toBe(0);
    expect(result.format).toEqual([
      'format',
      '--cluster-id',
      prodModel.spec.kafka.clusterId,
      '--config',
      result.config,
      '--ignore-formatted',
      '--add-scram',
      'SCRAM-SHA-512=[name=admin,password=s3cretPassw0rd]',
      expect.stringMatching(/^EXTRA_ARGS=/),
    ]);
  });

  it('does not read the admin password once the storage is formatted', () => {
    // No KAFKA_ADMIN_PASSWORD at all: a formatted controller never needs it, so its absence must not matter.
    const result = run(KAFKA_FORMAT_SCRIPT, formatEnv(prodModel, 'controller'), { formatted: true });
    expect(result.status).toBe(0);
    expect(result.format).not.toContain('--add-scram');
    expect(result.format).toContain('--ignore-formatted');
  });

  it('gives the admin to controllers only: brokers never get the password', () => {
    expect(createsAdminAtFormat(prodModel, 'controller')).toBe(true);
    expect(createsAdminAtFormat(prodModel, 'broker')).toBe(false);
    expect(kafkaFormatEnvironment(prodModel, 'broker').map(({ name }) => name)).toEqual(['KAFKA_NODE_ROLE', 'KAFKA_CLUSTER_ID']);
    const result = run(KAFKA_FORMAT_SCRIPT, formatEnv(prodModel, 'broker'));
    expect(result.status).toBe(0);
    expect(result.format).not.toContain('--add-scram');
  });

  it('refuses a pod without a config of its own (a StatefulSet scaled by hand)', () => {
    const result = run(KAFKA_FORMAT_SCRIPT, { ...formatEnv(prodModel, 'controller', { KAFKA_ADMIN_PASSWORD: 'x' }), POD_NAME: 'kafka-controller-7' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no Kafka config for pod kafka-controller-7');
    expect(result.format).toBeUndefined();
  });

  it.each(['', 'a,b', 'a]b', 'a b', 'a"b'])('refuses admin password %j that --add-scram would misread', (password) => {
    const result = run(KAFKA_FORMAT_SCRIPT, formatEnv(prodModel, 'controller', { KAFKA_ADMIN_PASSWORD: password }));
    expect(result.status).not.toBe(0);
    expect(result.format).toBeUndefined();
  });

  it('creates no SCRAM user where the client listener does not use SCRAM (dev)', () => {
    expect(kafkaFormatEnvironment(devModel, 'controller').map(({ name }) => name)).toEqual(['KAFKA_NODE_ROLE', 'KAFKA_CLUSTER_ID']);
    const result = run(KAFKA_FORMAT_SCRIPT, formatEnv(devModel, 'controller'));
    expect(result.status).toBe(0);
    expect(result.format).not.toContain('--add-scram');
  });
});

describe('the Kafka container', () => {
  it('execs Kafka on the pod config, without formatting or any password', () => {
    const result = run(KAFKA_START_SCRIPT, envOf(kafkaStartEnvironment('controller'), {}));
    expect(result.status).toBe(0);
    expect(result.format).toBeUndefined();
    // GC logging to files is off (no -loggc): the log volume is small and logs go to stdout.
    expect(result.start).toEqual([result.config, 'EXTRA_ARGS=-name kafkaServer']);
    expect(KAFKA_START_SCRIPT).not.toContain('PASSWORD');
  });

  it('refuses a pod without a config of its own', () => {
    const result = run(KAFKA_START_SCRIPT, { ...envOf(kafkaStartEnvironment('broker'), {}), POD_NAME: 'kafka-broker-eu-west-1a-9' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no Kafka config for pod kafka-broker-eu-west-1a-9');
  });
});
