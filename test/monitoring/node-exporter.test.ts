import { securityGroupRulePlan } from '../../constructs/aws/kafka-security-groups';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { EXTERNAL_METRICS } from '../../constructs/kafka/monitoring/metric-catalogue';
import { NODE_EXPORTER_ARTIFACT, NODE_EXPORTER_VERSION, VM_CERTIFICATE_EXPIRY_METRIC } from '../../constructs/kafka/monitoring/node-exporter';
import { vmScrapeConfigs } from '../../constructs/kafka/monitoring/scrape-config';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { aVmStagingSpec } from '../fixtures/environments';

describe('node_exporter artifact (data for the VM bootstrap)', () => {
  it('pins one release with a SHA-256 per architecture, for the matching upstream tarball', () => {
    expect(NODE_EXPORTER_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    for (const [arch, tarball] of Object.entries(NODE_EXPORTER_ARTIFACT.tarballs)) {
      expect(tarball.file).toBe(`node_exporter-${NODE_EXPORTER_VERSION}.linux-${arch}.tar.gz`);
      expect(tarball.url).toBe(`https://github.com/prometheus/node_exporter/releases/download/v${NODE_EXPORTER_VERSION}/${tarball.file}`);
      expect(tarball.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(tarball.mirrorKey).toBe(tarball.file);
    }
    const digests = Object.values(NODE_EXPORTER_ARTIFACT.tarballs).map((tarball) => tarball.sha256);
    expect(new Set(digests).size).toBe(digests.length);
  });

  it('is scraped on the port the security groups admit', () => {
    const model = buildClusterModel(validateEnvironment(aVmStagingSpec()));
    const job = vmScrapeConfigs(model).find((config) => String(config.job_name).endsWith('-node')) as { static_configs: { targets: string[] }[] };
    for (const target of job.static_configs.flatMap((config) => config.targets)) expect(target).toMatch(new RegExp(`:${NODE_EXPORTER_ARTIFACT.port}$`));
    const rules = securityGroupRulePlan({ name: 'x', vpcId: 'vpc-1', clientPort: 9092, replicationPort: 9091, controllerPort: 9093, metricsPort: 9404 });
    const admitted = rules.filter((rule) => rule.direction === 'ingress' && rule.port === NODE_EXPORTER_ARTIFACT.port);
    expect(admitted.map((rule) => `${rule.group}<-${JSON.stringify(rule.peer)}`).sort()).toEqual(['brokers<-{"group":"monitoring"}', 'controllers<-{"group":"monitoring"}']);
  });

  it('names the textfile metric the VM certificate alerts read as an external metric', () => {
    expect(EXTERNAL_METRICS.vmTextfile).toContain(VM_CERTIFICATE_EXPIRY_METRIC);
    expect(NODE_EXPORTER_ARTIFACT.textfileDirectory).toMatch(/^\/[\w/.-]+$/);
    expect(NODE_EXPORTER_ARTIFACT.args).toEqual([`--web.listen-address=:${NODE_EXPORTER_ARTIFACT.port}`, `--collector.textfile.directory=${NODE_EXPORTER_ARTIFACT.textfileDirectory}`]);
  });
});
