import { App, TerraformStack, Testing } from '../../constructs/aws/cdktf';
import { KafkaNetwork } from '../../constructs/aws/kafka-network';
import { removeTempDirs, makeTempDir } from '../support/temp-dirs';
import { type TerraformJson, refersTo, resourcesOf } from './support';

afterAll(removeTempDirs);

function synthNetwork(props: Partial<ConstructorParameters<typeof KafkaNetwork>[2]> = {}): { raw: string; json: TerraformJson } {
  const stack = new TerraformStack(new App({ outdir: makeTempDir('net-') }), 'test');
  new KafkaNetwork(stack, 'net', {
    name: 'test-kafka',
    region: 'eu-west-1',
    vpcCidr: '10.40.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    ...props,
  });
  const raw = Testing.synth(stack);
  return { raw, json: JSON.parse(raw) };
}

describe('KafkaNetwork', () => {
  const { raw, json } = synthNetwork();

  it('has one private subnet per zone, carved in zone order, with no public addresses', () => {
    const subnets = resourcesOf(json, 'aws_subnet');
    expect(subnets.map((subnet) => [subnet.availability_zone, subnet.cidr_block, subnet.map_public_ip_on_launch])).toEqual([
      ['eu-west-1a', '10.40.0.0/24', false],
      ['eu-west-1b', '10.40.1.0/24', false],
      ['eu-west-1c', '10.40.2.0/24', false],
    ]);
    for (const zone of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
      expect(Testing.toHaveResourceWithProperties(raw, 'aws_subnet', { availability_zone: zone, tags: { 'kafka/rack': zone } })).toBe(true);
    }
  });

  it('has no internet gateway, NAT or default route without egress', () => {
    expect(Testing.toHaveResource(raw, 'aws_internet_gateway')).toBe(false);
    expect(Testing.toHaveResource(raw, 'aws_nat_gateway')).toBe(false);
    expect(resourcesOf(json, 'aws_route')).toEqual([]);
  });

  it('reaches S3 through a gateway endpoint on every private route table and AWS APIs through interface endpoints', () => {
    const endpoints = resourcesOf(json, 'aws_vpc_endpoint');
    const s3 = endpoints.find((endpoint) => endpoint.service_name === 'com.amazonaws.eu-west-1.s3')!;
    expect(s3.vpc_endpoint_type).toBe('Gateway');
    expect(s3.route_table_ids).toHaveLength(3);
    const interfaces = endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((endpoint) => endpoint.service_name.replace('com.amazonaws.eu-west-1.', '')).sort()).toEqual(
      ['ec2messages', 'kms', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'sts'],
    );
    for (const endpoint of interfaces) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.subnet_ids).toHaveLength(3);
    }
    const [https] = resourcesOf(json, 'aws_vpc_security_group_ingress_rule');
    expect(https).toMatchObject({ cidr_ipv4: '10.40.0.0/16', from_port: 443, to_port: 443, ip_protocol: 'tcp' });
  });

  it('sends every flow to a log group encrypted with a rotating customer-managed key', () => {
    const [key] = resourcesOf(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    const [group] = resourcesOf(json, 'aws_cloudwatch_log_group');
    expect(refersTo(group.kms_key_id, 'aws_kms_key', key, 'arn')).toBe(true);
    expect(group.retention_in_days).toBe(365);
    const [flowLog] = resourcesOf(json, 'aws_flow_log');
    expect(flowLog).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    expect(refersTo(flowLog.log_destination, 'aws_cloudwatch_log_group', group, 'arn')).toBe(true);
  });

  it('adds a public /28, NAT gateway and default route per zone only with egress', () => {
    const nat = synthNetwork({ egress: 'nat' }).json;
    const publicSubnets = resourcesOf(nat, 'aws_subnet').filter((subnet) => subnet.tags.Name.includes('-public-'));
    expect(publicSubnets.map((subnet) => subnet.cidr_block)).toEqual(['10.40.255.240/28', '10.40.255.224/28', '10.40.255.208/28']);
    expect(resourcesOf(nat, 'aws_nat_gateway')).toHaveLength(3);
    const routes = resourcesOf(nat, 'aws_route');
    expect(routes.filter((route) => route.nat_gateway_id)).toHaveLength(3);
    expect(routes.filter((route) => route.gateway_id)).toHaveLength(1);
  });
});
