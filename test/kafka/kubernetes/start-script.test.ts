import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterModel } from '../../../constructs/kafka/model/cluster-model';
import { KAFKA_START_SCRIPT, kafkaStartEnvironment } from '../../../constructs/kafka/kubernetes/start-script';
import { KAFKA_HOME, KUBERNETES_CONFIG_DIR } from '../../../constructs/kafka/kubernetes/deployment-plan';
import { validateEnvironment } from '../../../constructs/kafka/validation/validate';
import { dev } from '../../../environments/dev';
import { prod } from '../../../environments/prod';

/**
 * Runs the real start script under `sh` with stand-ins for Kafka's tools (they log their arguments) and the
 * config folder in a temporary directory.
 */
function run(script: string, env: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'kafka-start-'));
  try {
    const bin = join(root, 'bin');
    const configDir = join(root, 'nodes');
    mkdirSync(bin);
    mkdirSync(configDir);
    for (const tool of ['kafka-storage.sh', 'kafka-server-start.sh']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${root}/${tool}.args"\necho "EXTRA_ARGS=$EXTRA_ARGS" >> "${root}/${tool}.args"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    writeFileSync(join(configDir, 'kafka-broker-eu-west-1a-0.properties'), 'node.id=100\n');
    const local = script.replaceAll(`${KAFKA_HOME}/bin`, bin).replaceAll(KUBERNETES_CONFIG_DIR, configDir);
    const result = spawnSync('sh', ['-c', local], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    const args = (tool: string) => {
      try {
        return readFileSync(join(root, `${tool}.args`), 'utf8').trim().split('\n');
      } catch {
        return undefined;
      }
    };
    return { status: result.status, stderr: result.stderr, format: args('kafka-storage.sh'), start: args('kafka-server-start.sh'), configDir };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the Kafka container start script', () => {
  const prodModel = buildClusterModel(validateEnvironment(prod));
  const script = KAFKA_START_SCRIPT;
  /** The container environment the pod template sets from the model, plus the pod's own facts. */
  const containerEnv = (model: typeof prodModel, extra: Record<string, string>) =>
    Object.fromEntries([...kafkaStartEnvironment(model, 'broker').map(({ name, value }) => [name, value]), ...Object.entries(extra)]);

  it('reads Kafka and the node configs where the deployment plan puts them', () => {
    expect(script).toContain(`${KAFKA_HOME}/bin/kafka-storage.sh`);
    expect(script).toContain(`${KAFKA_HOME}/bin/kafka-server-start.sh`);
    expect(script).toContain(`${KUBERNETES_CONFIG_DIR}/\${POD_NAME}.properties`);
  });

  it('is valid POSIX shell', () => {
    expect(() => execFileSync('sh', ['-n', '-c', script])).not.toThrow();
  });

  it('formats storage idempotently with the cluster id and the admin SCRAM user, then execs Kafka on the pod config', () => {
    const result = run(script, containerEnv(prodModel, { POD_NAME: 'kafka-broker-eu-west-1a-0', KAFKA_ADMIN_PASSWORD: 's3cretPassw0rd' }));
    expect(result.status).toBe(0);
    const config = `${result.configDir}/kafka-broker-eu-west-1a-0.properties`;
    expect(result.format).toEqual([
      'format',
      '--cluster-id',
      prodModel.spec.kafka.clusterId,
      '--config',
      config,
      '--ignore-formatted',
      '--add-scram',
      'SCRAM-SHA-512=[name=admin,password=s3cretPassw0rd]',
      expect.stringMatching(/^EXTRA_ARGS=/),
    ]);
    // GC logging to files is off (no -loggc): the log volume is small and logs go to stdout.
    expect(result.start).toEqual([config, 'EXTRA_ARGS=-name kafkaServer']);
  });

  it('refuses a pod without a config of its own (a StatefulSet scaled by hand)', () => {
    const result = run(script, containerEnv(prodModel, { POD_NAME: 'kafka-broker-eu-west-1a-7', KAFKA_ADMIN_PASSWORD: 'x' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no Kafka config for pod kafka-broker-eu-west-1a-7');
    expect(result.format).toBeUndefined();
  });

  it.each(['', 'a,b', 'a]b', 'a b', 'a"b'])('refuses admin password %j that --add-scram would misread', (password) => {
    const result = run(script, containerEnv(prodModel, { POD_NAME: 'kafka-broker-eu-west-1a-0', KAFKA_ADMIN_PASSWORD: password }));
    expect(result.status).not.toBe(0);
    expect(result.format).toBeUndefined();
  });

  it('creates no SCRAM user where the client listener does not use SCRAM (dev)', () => {
    const devModel = buildClusterModel(validateEnvironment(dev));
    expect(kafkaStartEnvironment(devModel, 'broker').map(({ name }) => name)).toEqual(['KAFKA_NODE_ROLE', 'KAFKA_CLUSTER_ID']);
    const result = run(script, containerEnv(devModel, { POD_NAME: 'kafka-broker-eu-west-1a-0' }));
    expect(result.status).toBe(0);
    expect(result.format).not.toContain('--add-scram');
  });
});
