import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../cli/main';
import { loadEnvironments } from '../../cli/load-environments';
import { clusterIdProblem } from '../../constructs/kafka/spec/cluster-id';
import { validateEnvironments } from '../../constructs/kafka/validation/validate';
import { synthesize } from '../../synth/synthesize';
import { removeTempDirs } from '../support/temp-dirs';
import { captureOutput, projectCopy } from './support';

afterAll(removeTempDirs);

const init = async (project: string, ...args: string[]) => {
  const output = captureOutput();
  const code = await runCli(['init', ...args, '--project', project], output);
  return { code, output, stdout: output.stdout.join('\n'), stderr: output.stderr.join('\n') };
};

describe('kafka-infra init', () => {
  it('writes a production environment that validates and synthesizes, registers it, and says what is next', async () => {
    const project = projectCopy();
    const result = await init(
      project, 'payments', '--tier', 'production', '--region', 'eu-central-1', '--zones', 'a,b,c',
      '--jmx-exporter-image', 'registry.example.com/mirror/jmx-exporter:1.6.0:/jmx_prometheus_javaagent-1.6.0.jar',
      '--secret-store-role', 'arn:aws:iam::123456789012:role/payments-external-secrets',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*environments\/payments\.ts: production, kubernetes in eu-central-1 \(eu-central-1a, eu-central-1b, eu-central-1c\)/);
    expect(result.stdout).toContain('next:');
    expect(result.stdout).toContain('kafka-infra synth --env payments');

    const source = readFileSync(join(project, 'environments/payments.ts'), 'utf8');
    expect(source).toContain("import type { EnvironmentSpec } from '../constructs/kafka';");
    const index = readFileSync(join(project, 'environments/index.ts'), 'utf8');
    expect(index).toContain("import { payments } from './payments';");
    expect(index).toContain('[dev, staging, prod, payments]');

    const environments = loadEnvironments(join(project, 'environments/index.ts'));
    expect(environments.map((spec) => spec.name)).toEqual(['dev', 'staging', 'prod', 'payments']);
    const [spec] = validateEnvironments(environments).filter((candidate) => candidate.name === 'payments');
    expect(clusterIdProblem(spec?.kafka.clusterId ?? '')).toBeUndefined();
    // Safe defaults: encrypted and authenticated listeners, a three-voter quorum, replication 3 / min ISR 2.
    expect(spec?.kafka.listeners.client).toEqual({ port: 9092, tls: true, authentication: 'scram-sha-512' });
    expect(spec?.kafka.listeners.replication.authentication).toBe('mtls');
    expect(spec?.kafka.controllers.count).toBe(3);
    expect([spec?.kafka.replicationFactor, spec?.kafka.minInsyncReplicas]).toEqual([3, 2]);
    expect(spec?.kafka.autoCreateTopics).toBe(false);
    // A VPC that no other environment uses, and the project's state bucket.
    expect(environments.filter((other) => other.aws.vpcCidr === spec?.aws.vpcCidr)).toHaveLength(1);
    expect(spec?.terraformState.bucket).toBe('acme-kafka-terraform-state');

    const [report] = synthesize({ rootDir: project, environments, only: ['payments'] });
    expect(report?.stacks).toEqual(['payments-network', 'payments-secrets']);
    expect(report?.files).toContain('kubernetes/kafka.yaml');
    expect(existsSync(join(project, 'dist/payments/topology.md'))).toBe(true);
  });

  it('gives every environment its own cluster id', async () => {
    const project = projectCopy();
    expect((await init(project, 'one', '--tier', 'dev', '--region', 'eu-west-1')).code).toBe(0);
    expect((await init(project, 'two', '--tier', 'staging', '--region', 'eu-west-1', '--runtime', 'vm')).code).toBe(0);
    const environments = loadEnvironments(join(project, 'environments/index.ts'));
    expect(() => validateEnvironments(environments)).not.toThrow();
    const ids = environments.map((spec) => spec.kafka.clusterId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(environments.find((spec) => spec.name === 'two')?.runtime.kind).toBe('vm');
  });

  it('starts environments/index.ts in a project that has none, importing the installed package', async () => {
    const project = projectCopy();
    const { rmSync, writeFileSync } = await import('node:fs');
    rmSync(join(project, 'environments'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'payments-platform', private: true }));
    const result = await init(project, 'qa', '--tier', 'staging', '--region', 'us-east-1', '--state-bucket', 'payments-state');
    expect(result.code).toBe(0);
    expect(readFileSync(join(project, 'environments/index.ts'), 'utf8')).toContain("import type { EnvironmentSpec } from 'kafka-typed-infra';");
    expect(readFileSync(join(project, 'environments/qa.ts'), 'utf8')).toContain("from 'kafka-typed-infra';");
  });

  describe('writes nothing on invalid input', () => {
    const cases: [string, string[], number, RegExp][] = [
      ['an unknown tier', ['qa', '--tier', 'prod', '--region', 'eu-west-1'], 1, /^kafka-infra: --tier = "prod", must be one of dev, staging, production$/],
      ['an unknown runtime', ['qa', '--tier', 'dev', '--region', 'eu-west-1', '--runtime', 'ecs'], 1, /^kafka-infra: --runtime = "ecs", must be one of kubernetes, vm$/],
      ['unreadable zones', ['qa', '--tier', 'dev', '--region', 'eu-west-1', '--zones', 'a,,b'], 1, /^kafka-infra: --zones = "a,,b", must be a count/],
      ['zones of another region', ['qa', '--tier', 'staging', '--region', 'eu-west-1', '--zones', 'us-east-1a,us-east-1b,us-east-1c'], 1, /qa: aws\.availabilityZones\[0\] = "us-east-1a"/],
      ['an invalid region', ['qa', '--tier', 'staging', '--region', 'europe'], 1, /qa: aws\.region = "europe", must be an AWS region/],
      ['a name that is no DNS label', ['Q_A', '--tier', 'dev', '--region', 'eu-west-1'], 1, /^kafka-infra: <env> = "Q_A", must be a lowercase DNS label/],
      ['a name already in use', ['prod', '--tier', 'dev', '--region', 'eu-west-1'], 1, /^kafka-infra: environments\/prod\.ts already exists/],
      ['a production VM without an artifact mirror', ['qa', '--tier', 'production', '--region', 'eu-west-1', '--runtime', 'vm'], 1, /runtime\.artifactMirror is missing[\s\S]*--artifact-mirror/],
      ['production on Kubernetes without a JMX mirror image or a SecretStore role', ['qa', '--tier', 'production', '--region', 'eu-west-1'], 1, /monitoring\.jmxExporter\.image is missing[\s\S]*--jmx-exporter-image and --secret-store-role/],
      ['a JMX mirror image without the jar path', ['qa', '--tier', 'staging', '--region', 'eu-west-1', '--jmx-exporter-image', 'registry.example.com/jmx:1.6.0'], 1, /--jmx-exporter-image = .*must be <image>:<absolute path of the jar>/],
      ['a missing tier', ['qa', '--region', 'eu-west-1'], 2, /^kafka-infra: init needs --tier\n/],
      ['a missing name', ['--tier', 'dev', '--region', 'eu-west-1'], 2, /^kafka-infra: init needs the name of the new environment/],
      ['an unknown option', ['qa', '--tier', 'dev', '--region', 'eu-west-1', '--size', 'large'], 2, /^kafka-infra: unknown option --size/],
    ];
    it.each(cases)('%s', async (_, args, code, message) => {
      const project = projectCopy();
      const before = readdirSync(join(project, 'environments')).map((file) => [file, readFileSync(join(project, 'environments', file), 'utf8')]);
      const result = await init(project, ...args);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      const after = readdirSync(join(project, 'environments')).map((file) => [file, readFileSync(join(project, 'environments', file), 'utf8')]);
      expect(after).toEqual(before);
    });
  });
});
