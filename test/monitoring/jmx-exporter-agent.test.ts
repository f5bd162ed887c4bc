import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import {
  JMX_EXPORTER_MAVEN_URL,
  JMX_EXPORTER_SHA256,
  jmxExporterAgent,
  JMX_EXPORTER_INSTALL_SCRIPT,
  jmxExporterInstallEnvironment,
  jmxExporterJavaAgentOption,
} from '../../constructs/kafka/monitoring/jmx-exporter-agent';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, withChange } from '../fixtures/environments';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

describe('JMX exporter agent', () => {
  it('is pinned to a release, its Maven Central URL and a SHA-256', () => {
    expect(JMX_EXPORTER_MAVEN_URL).toBe('https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/1.6.0/jmx_prometheus_javaagent-1.6.0.jar');
    expect(JMX_EXPORTER_SHA256).toMatch(/^[a-f0-9]{64}$/);
  });

  it('loads with the configured port and the shared rules file', () => {
    const model = buildClusterModel(validateEnvironment(withChange(aThreeZoneProdSpec(), (draft) => (draft.monitoring = { ...draft.monitoring, jmxExporterPort: 9500 }))));
    expect(jmxExporterJavaAgentOption(model)).toBe('-javaagent:/opt/jmx-exporter/jmx_prometheus_javaagent.jar=9500:/etc/kafka/jmx-exporter/jmx-exporter.yaml');
  });

  it('downloads by default and copies from a mirror image when one is given', () => {
    const spec = validateEnvironment(aSingleZoneDevSpec());
    expect(jmxExporterInstallEnvironment(jmxExporterAgent(spec))).toContainEqual({ name: 'JMX_EXPORTER_URL', value: JMX_EXPORTER_MAVEN_URL });
    expect(jmxExporterAgent(spec).initImage).toBe('curlimages/curl:8.11.1');
    // A TLS-verifying client, https only: busybox wget does not check certificates.
    expect(JMX_EXPORTER_INSTALL_SCRIPT).toContain(`curl --fail --silent --show-error --location --proto '=https'`);
    expect(JMX_EXPORTER_INSTALL_SCRIPT).not.toMatch(/wget|--insecure|\s-k\s/);
    const mirror = validateEnvironment(
      withChange(aThreeZoneProdSpec(), (draft) => (draft.monitoring = { ...draft.monitoring, jmxExporter: { image: 'registry.example.com/jmx-exporter:1.6.0', jarPath: '/jmx.jar' } })),
    );
    expect(jmxExporterAgent(mirror)).toMatchObject({ initImage: 'registry.example.com/jmx-exporter:1.6.0', jarPathInImage: '/jmx.jar' });
  });

  it.each([
    ['installs a jar whose checksum matches', true],
    ['refuses a jar whose checksum does not match, leaving nothing behind', false],
  ])('%s', (_, matching) => {
    const dir = makeTempDir('kafka-jmx-agent-');
    const source = join(dir, 'source.jar');
    writeFileSync(source, 'not really a jar');
    const digest = createHash('sha256').update(readFileSync(source)).digest('hex');
    const target = join(dir, 'agent', 'jmx_prometheus_javaagent.jar');
    const env = jmxExporterInstallEnvironment(
      { version: '1.6.0', mavenUrl: 'unused', sha256: matching ? digest : '0'.repeat(64), initImage: 'unused', jarPathInImage: source },
      target,
    );
    const result = spawnSync('sh', ['-c', JMX_EXPORTER_INSTALL_SCRIPT], { encoding: 'utf8', env: { PATH: process.env.PATH, ...Object.fromEntries(env.map(({ name, value }) => [name, value])) } });
    expect(result.status === 0).toBe(matching);
    expect(existsSync(target)).toBe(matching);
  });
});
