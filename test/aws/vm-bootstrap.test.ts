import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { renderJmxExporterConfig } from '../../constructs/kafka/monitoring/jmx-exporter-config';
import { KAFKA_PATHS } from '../../constructs/kafka/model/paths';
import { renderServerProperties } from '../../constructs/kafka/config/server-properties';
import { MAX_USER_DATA_BYTES, VM_FILES, bootstrapEnv, renderVmUserData } from '../../constructs/kafka/vm/bootstrap';
import { VM_RECONCILE_PATHS } from '../../constructs/kafka/vm/reconcile';
import { aVmStagingSpec, withChange } from '../fixtures/environments';
import { modelOf } from './support';
import { KAFKA_RELEASE_DIGESTS } from '../../constructs/kafka/model/kafka-releases';
import { NODE_EXPORTER_ARTIFACT } from '../../constructs/kafka/monitoring/node-exporter';

const model = modelOf(aVmStagingSpec());
const options = { jmxExporterConfig: renderJmxExporterConfig(model.spec) };

interface CloudConfig {
  write_files: { path: string; content: string; permissions: string }[];
  runcmd: string[][];
}

function cloudConfigOf(userData: string): CloudConfig {
  expect(userData.startsWith('#cloud-config\n')).toBe(true);
  return parse(userData) as CloudConfig;
}

function fileOf(config: CloudConfig, path: string): string {
  const file = config.write_files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`no ${path} in the user data`);
  return file.content;
}

describe('VM user data (cloud-init)', () => {
  it.each(model.nodes.map((node) => [node.name, node] as const))('of %s writes exactly the shared renderer\'s server.properties', (_, node) => {
    const config = cloudConfigOf(renderVmUserData(model, node, options));
    expect(fileOf(config, KAFKA_PATHS.configFile)).toBe(renderServerProperties(model, node));
  });

  it('writes the monitoring engineer\'s JMX exporter rules unchanged and runs the bootstrap once', () => {
    const config = cloudConfigOf(renderVmUserData(model, model.brokers[0], options));
    expect(fileOf(config, KAFKA_PATHS.jmxExporterConfig)).toBe(options.jmxExporterConfig);
    expect(config.runcmd).toEqual([[VM_FILES.bootstrapScript]]);
  });

  it('passes bash -n on every script it writes, and on the sourced env file', () => {
    for (const node of [model.controllers[0], model.brokers[0]]) {
      const config = cloudConfigOf(renderVmUserData(model, node, options));
      const scripts = config.write_files.filter((file) => file.path.endsWith('.sh') || file.path.endsWith('bootstrap.env'));
      // Controllers also carry the reconcile (vm/reconcile.ts); brokers do not.
      const reconcile = node.role === 'controller' ? [VM_RECONCILE_PATHS.runScript] : [];
      expect(scripts.map((file) => file.path).sort()).toEqual([VM_FILES.bootstrapEnv, VM_FILES.bootstrapScript, VM_FILES.tlsScript, ...reconcile].sort());
      for (const script of scripts) {
        const result = spawnSync('bash', ['-n'], { input: script.content, encoding: 'utf8' });
        expect({ path: script.path, status: result.status, stderr: result.stderr }).toEqual({ path: script.path, status: 0, stderr: '' });
      }
    }
  });

  it('defines in bootstrap.env every upper-case variable the scripts read (they run with set -u)', () => {
    for (const node of [model.controllers[0], model.brokers[0]]) {
      const config = cloudConfigOf(renderVmUserData(model, node, options));
      const defined = new Set([...fileOf(config, VM_FILES.bootstrapEnv).matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((match) => match[1]));
      for (const path of [VM_FILES.bootstrapScript, VM_FILES.tlsScript]) {
        const used = new Set([...fileOf(config, path).matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]));
        expect({ path, undefined: [...used].filter((name) => !defined.has(name)) }).toEqual({ path, undefined: [] });
      }
    }
  });

  it('catches a broken script (the syntax check can fail)', () => {
    const result = spawnSync('bash', ['-n'], { input: 'if true; then\n  echo missing fi\n', encoding: 'utf8' });
    expect(result.status).not.toBe(0);
  });

  it('fits EC2\'s 16 KiB user-data limit once gzip-compressed', () => {
    for (const node of model.nodes) {
      const compressed = gzipSync(renderVmUserData(model, node, options)).length;
      expect(compressed).toBeLessThan(MAX_USER_DATA_BYTES);
    }
  });

  it('holds no secret values: only Secrets Manager names and the admin password read at boot, on controllers only', () => {
    const controllerEnv = bootstrapEnv(model, model.controllers[0]);
    const brokerEnv = bootstrapEnv(model, model.brokers[0]);
    expect(controllerEnv).toContain("ADMIN_SECRET='kafka/staging/kafka/users/admin'");
    expect(brokerEnv).toContain("ADMIN_SECRET=''");
    expect(controllerEnv).toContain("CA_SECRET='kafka/staging/kafka/tls/ca'");
    const userData = renderVmUserData(model, model.controllers[0], options);
    expect(userData).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY-----\n[A-Za-z0-9+/]/);
    // Only references and the scripts' printf placeholders (the reconcile writes a password it read at run time).
    expect(userData).not.toMatch(/\bpassword=(?!"?(\$|%s))/);
  });

  it('downloads from Apache checked against the digest pinned in the package, from the S3 mirror with the spec digest otherwise', () => {
    const apache = bootstrapEnv(model, model.brokers[0]);
    expect(apache).toContain("KAFKA_ARCHIVE_URL='https://archive.apache.org/dist/kafka/4.1.1/kafka_2.13-4.1.1.tgz'");
    expect(apache).toContain("KAFKA_ARCHIVE_DIGEST_ALGORITHM='sha256'");
    expect(apache).toContain(`KAFKA_ARCHIVE_DIGEST='${KAFKA_RELEASE_DIGESTS['4.1.1'].hex}'`);
    // Nothing is ever checked against a checksum file from the host that served the tarball.
    expect(apache).not.toMatch(/\.sha512'/);
    const mirrored = modelOf(
      withChange(aVmStagingSpec(), (draft) => {
        draft.runtime.artifactMirror = { bucket: 'acme-artifacts', prefix: 'kafka' };
        draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
      }),
    );
    const env = bootstrapEnv(mirrored, mirrored.brokers[0]);
    expect(env).toContain("KAFKA_ARCHIVE_URL='s3://acme-artifacts/kafka/kafka_2.13-4.1.1.tgz'");
    expect(env).toContain("KAFKA_ARCHIVE_DIGEST_ALGORITHM='sha512'");
    expect(env).toContain(`KAFKA_ARCHIVE_DIGEST='${'ab'.repeat(64)}'`);
    expect(env).toContain("JMX_EXPORTER_URL='s3://acme-artifacts/kafka/jmx_prometheus_javaagent-1.6.0.jar'");
  });

  it('signs with AWS Private CA when the spec says so', () => {
    const arn = 'arn:aws:acm-pca:eu-central-1:123456789012:certificate-authority/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
    const pca = modelOf(
      withChange(aVmStagingSpec(), (draft) => {
        draft.runtime.certificateAuthority = { kind: 'private-ca', arn };
      }),
    );
    const env = bootstrapEnv(pca, pca.brokers[0]);
    expect(env).toContain("CA_KIND='private-ca'");
    expect(env).toContain(`CA_ARN='${arn}'`);
  });
});

describe('node_exporter and logs on VM nodes', () => {
  const config = cloudConfigOf(renderVmUserData(model, model.brokers[0], options));
  const env = fileOf(config, VM_FILES.bootstrapEnv);

  it('installs the pinned node_exporter for the node CPU, checksum-verified, from GitHub or the mirror', () => {
    for (const arch of ['amd64', 'arm64'] as const) {
      const tarball = NODE_EXPORTER_ARTIFACT.tarballs[arch];
      expect(env).toContain(`NODE_EXPORTER_${arch.toUpperCase()}_URL='${tarball.url}'`);
      expect(env).toContain(`NODE_EXPORTER_${arch.toUpperCase()}_SHA256='${tarball.sha256}'`);
    }
    const mirrored = modelOf(withChange(aVmStagingSpec(), (draft) => (draft.runtime.artifactMirror = { bucket: 'acme-artifacts', prefix: 'kafka' })));
    expect(bootstrapEnv(mirrored, mirrored.brokers[0])).toContain(`NODE_EXPORTER_AMD64_URL='s3://acme-artifacts/kafka/${NODE_EXPORTER_ARTIFACT.tarballs.amd64.mirrorKey}'`);
    const script = fileOf(config, VM_FILES.bootstrapScript);
    // The digest is checked before the tarball is unpacked.
    expect(script.indexOf('sha256sum --check --quiet - ', script.indexOf('node_exporter.tgz'))).toBeLessThan(script.indexOf('tar -xzf "$work/node_exporter.tgz"'));
    expect(script).toContain('systemctl enable --now node-exporter.service');
  });

  it('runs node_exporter as a hardened service serving the textfile directory the certificate script writes to', () => {
    const unit = fileOf(config, VM_FILES.nodeExporterUnit);
    expect(unit).toContain(`ExecStart=${NODE_EXPORTER_ARTIFACT.binaryPath} --web.listen-address=:${NODE_EXPORTER_ARTIFACT.port} --collector.textfile.directory=${NODE_EXPORTER_ARTIFACT.textfileDirectory}`);
    expect(unit).toMatch(/^DynamicUser=yes$/m);
    expect(env).toContain(`TLS_METRICS_DIR='${NODE_EXPORTER_ARTIFACT.textfileDirectory}'`);
    const unmonitored = modelOf(withChange(aVmStagingSpec(), (draft) => (draft.monitoring = { ...draft.monitoring, enabled: false })));
    const bare = cloudConfigOf(renderVmUserData(unmonitored, unmonitored.brokers[0]));
    expect(bare.write_files.map((file) => file.path)).not.toContain(VM_FILES.nodeExporterUnit);
    expect(bootstrapEnv(unmonitored, unmonitored.brokers[0])).toContain("NODE_EXPORTER_ENABLED='false'");
  });

  it('rolls every Kafka log file over by size and keeps a bounded number, so logs cannot fill the root volume', () => {
    const logging = parse(fileOf(config, VM_FILES.log4j));
    const appenders: { name: string; fileName: string; filePattern: string; SizeBasedTriggeringPolicy: { size: string }; DefaultRolloverStrategy: { max: number } }[] =
      logging.Configuration.Appenders.RollingFile;
    expect(appenders.map((appender) => appender.name)).toEqual(['SERVER', 'CONTROLLER', 'STATE_CHANGE', 'REQUEST', 'AUTHORIZER']);
    for (const appender of appenders) {
      expect(appender.fileName).toMatch(/^\$\{sys:kafka\.logs\.dir\}\/[a-z-]+\.log$/);
      expect(appender.filePattern).toBe(`${appender.fileName}.%i`);
      expect(appender.SizeBasedTriggeringPolicy.size).toBe('100 MB');
      expect(appender.DefaultRolloverStrategy.max).toBe(10);
    }
    // Every logger writes to a declared appender.
    const refs = [logging.Configuration.Loggers.Root, ...logging.Configuration.Loggers.Logger].flatMap((logger: any) => logger.AppenderRef.map((ref: any) => ref.ref));
    expect(refs.filter((ref: string) => !appenders.some((appender) => appender.name === ref))).toEqual([]);
    expect(fileOf(config, VM_FILES.kafkaEnv)).toContain(`KAFKA_LOG4J_OPTS=-Dlog4j2.configurationFile=file:${VM_FILES.log4j}`);
  });
});
