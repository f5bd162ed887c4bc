import { App, TerraformStack } from '../../constructs/aws/cdktf';
import { KafkaSecurityGroups } from '../../constructs/aws/kafka-security-groups';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { resourcesOf, synthEnvironment } from './support';

afterAll(removeTempDirs);

const spec = withChange(aVmStagingSpec(), (draft) => {
  draft.aws.clientCidrs = ['10.21.0.0/16'];
  draft.aws.monitoringCidrs = ['10.99.4.0/24'];
});
const kafka = synthEnvironment(spec).get('staging-kafka')!.json;
const ingress = resourcesOf(kafka, 'aws_vpc_security_group_ingress_rule');
const egress = resourcesOf(kafka, 'aws_vpc_security_group_egress_rule');
const groups = resourcesOf(kafka, 'aws_security_group');

/** `brokers`, `controllers`, ... for a `${aws_security_group.<name>.id}` reference. */
function groupName(reference: string | undefined): string | undefined {
  const group = groups.find((candidate) => reference === `\${aws_security_group.${candidate.__name}.id}`);
  return group?.tags.Name.replace('staging-kafka-', '');
}

function describeRule(rule: Record<string, any>): string {
  const peer = rule.referenced_security_group_id ? groupName(rule.referenced_security_group_id) : (rule.cidr_ipv4 ?? (rule.prefix_list_id ? 'prefix-list' : '?'));
  return `${groupName(rule.security_group_id)} ${rule.ip_protocol}/${rule.from_port}-${rule.to_port} ${peer}`;
}

describe('KafkaSecurityGroups', () => {
  it('creates separate groups for controllers, brokers, clients and monitoring, without inline rules', () => {
    expect(groups.map((group) => group.tags.Name).sort()).toEqual(['staging-kafka-brokers', 'staging-kafka-clients', 'staging-kafka-controllers', 'staging-kafka-monitoring']);
    for (const group of groups) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
    }
  });

  it('admits exactly the Kafka ports from the expected peers', () => {
    expect(ingress.map(describeRule).sort()).toEqual(
      [
        'controllers tcp/9093-9093 controllers',
        'controllers tcp/9093-9093 brokers',
        'brokers tcp/9091-9091 brokers',
        'brokers tcp/9092-9092 clients',
        'brokers tcp/9092-9092 10.21.0.0/16',
        'brokers tcp/9404-9404 monitoring',
        'brokers tcp/9404-9404 10.99.4.0/24',
        'controllers tcp/9404-9404 monitoring',
        'controllers tcp/9404-9404 10.99.4.0/24',
        'brokers tcp/9100-9100 monitoring',
        'brokers tcp/9100-9100 10.99.4.0/24',
        'controllers tcp/9100-9100 monitoring',
        'controllers tcp/9100-9100 10.99.4.0/24',
      ].sort(),
    );
  });

  it('lets each group open only the connections its peers admit, plus HTTPS for the nodes', () => {
    expect(egress.map(describeRule).sort()).toEqual(
      [
        'controllers tcp/9093-9093 controllers',
        'brokers tcp/9093-9093 controllers',
        'brokers tcp/9091-9091 brokers',
        'clients tcp/9092-9092 brokers',
        'monitoring tcp/9404-9404 brokers',
        'monitoring tcp/9404-9404 controllers',
        'monitoring tcp/9100-9100 brokers',
        'monitoring tcp/9100-9100 controllers',
        // staging downloads Kafka through NAT (no mirror)
        'brokers tcp/443-443 0.0.0.0/0',
        'brokers tcp/443-443 prefix-list',
        'controllers tcp/443-443 0.0.0.0/0',
        'controllers tcp/443-443 prefix-list',
      ].sort(),
    );
  });

  it('admits node_exporter (9100) on every VM node from the monitoring group and the monitoring CIDRs only', () => {
    const nodeExporter = ingress.filter((rule) => rule.from_port === 9100 || rule.to_port === 9100);
    expect(nodeExporter.map(describeRule).sort()).toEqual(
      ['brokers tcp/9100-9100 10.99.4.0/24', 'brokers tcp/9100-9100 monitoring', 'controllers tcp/9100-9100 10.99.4.0/24', 'controllers tcp/9100-9100 monitoring'].sort(),
    );
    expect(nodeExporter.every((rule) => rule.description.includes('node_exporter'))).toBe(true);
    const withoutMonitoring = withChange(spec, (draft) => (draft.monitoring = { ...draft.monitoring, enabled: false }));
    const rules = resourcesOf(synthEnvironment(withoutMonitoring).get('staging-kafka')!.json, 'aws_vpc_security_group_ingress_rule');
    expect(rules.filter((rule) => rule.from_port === 9100 || rule.from_port === 9404)).toEqual([]);
  });

  it('admits nothing from 0.0.0.0/0 or ::/0, never SSH, and describes every rule', () => {
    for (const rule of ingress) {
      expect(rule.cidr_ipv4).not.toBe('0.0.0.0/0');
      expect(rule.cidr_ipv6).toBeUndefined();
      expect(rule.from_port).not.toBe(22);
    }
    for (const rule of [...ingress, ...egress]) expect(rule.description).toMatch(/\w{8,}/);
  });

  it('keeps HTTPS inside the VPC and S3 when the environment has no egress', () => {
    const offline = withChange(spec, (draft) => {
      draft.aws.egress = 'none';
      draft.runtime.artifactMirror = { bucket: 'acme-artifacts' };
      draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
    });
    const rules = resourcesOf(synthEnvironment(offline).get('staging-kafka')!.json, 'aws_vpc_security_group_egress_rule');
    expect(rules.filter((rule) => rule.from_port === 443).map((rule) => rule.cidr_ipv4 ?? 'prefix-list').sort()).toEqual(['10.20.0.0/16', '10.20.0.0/16', 'prefix-list', 'prefix-list']);
  });

  it('refuses a /0 CIDR when used alone in another stack', () => {
    const stack = new TerraformStack(new App({ outdir: makeTempDir('sg-') }), 'test');
    expect(
      () => new KafkaSecurityGroups(stack, 'sg', { name: 'x', vpcId: 'vpc-1', clientPort: 9092, replicationPort: 9091, controllerPort: 9093, clientCidrs: ['0.0.0.0/0'] }),
    ).toThrow('0.0.0.0/0 would admit the whole internet');
  });

  it('is not created for Kubernetes environments (NetworkPolicies guard the pods there)', () => {
    for (const [, stack] of synthEnvironment(aThreeZoneProdSpec())) {
      expect(resourcesOf(stack.json, 'aws_vpc_security_group_ingress_rule').filter((rule) => rule.from_port !== 443)).toEqual([]);
    }
  });
});
