import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { zoneCidrs } from '../kafka/model/aws-layout';
import { parseCidr } from '../kafka/spec/cidr';
import { KafkaKmsKey } from './kafka-kms-key';

/** Interface endpoints a node needs with no internet: Session Manager, secrets and their key, logs, STS. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = ['ec2messages', 'kms', 'logs', 'secretsmanager', 'ssm', 'ssmmessages', 'sts'];

/** What a {@link KafkaNetwork} needs: its name, region, VPC range and zones, and what may leave the VPC. */
export interface KafkaNetworkProps {
  /** Name prefix of every resource, e.g. `prod-kafka`. */
  readonly name: string;
  /** Region of the VPC; names the endpoint services `com.amazonaws.<region>.<service>`. */
  readonly region: string;
  /** CIDR of the VPC, e.g. `10.30.0.0/16`. */
  readonly vpcCidr: string;
  /** Zones to place Kafka in; each gets one private subnet and is one Kafka rack. */
  readonly availabilityZones: readonly string[];
  /** Prefix length of each zone's subnet, carved from the start of the VPC in zone order. @default 24 */
  readonly subnetPrefixLength?: number;
  /**
   * Interface endpoints (service suffixes) in every private subnet. The S3 gateway endpoint always exists.
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: readonly string[];
  /** `nat`: a public /28 subnet, NAT gateway and route to it per zone, for downloads from the internet. @default 'none' */
  readonly egress?: 'none' | 'nat';
  /** Days the VPC flow logs are kept. @default 365 */
  readonly flowLogRetentionDays?: number;
  /**
   * S3 prefixes the nodes may read through the S3 gateway endpoint wherever their bucket is, e.g. an artifact mirror
   * in another account. The Amazon Linux repositories and every bucket of the account are always reachable. @default []
   */
  readonly readableS3Prefixes?: readonly { readonly bucket: string; readonly prefix: string }[];
}

/**
 * Interface endpoints whose resources always belong to the account (its keys, secrets, log groups), so the endpoint
 * policy can also require `aws:ResourceAccount`. The others serve resources AWS owns (ECR images of EKS add-ons, SSM
 * documents, a Private CA shared from another account) and are limited to the account's principals only.
 */
const OWN_RESOURCE_SERVICES = new Set(['kms', 'logs', 'secretsmanager']);

/** A zone's private subnet. */
export interface ZoneSubnet {
  /** Availability zone name, e.g. `eu-west-1a`; also the Kafka rack of the nodes in it. */
  readonly zone: string;
  /** CIDR of the zone's private subnet, e.g. `10.30.0.0/24`. */
  readonly cidr: string;
  /** The private subnet (no public addresses on launch). */
  readonly subnet: Subnet;
  /** Route table of the subnet: the S3 gateway endpoint, and the zone's NAT gateway with `egress: 'nat'`. */
  readonly routeTable: RouteTable;
}

/**
 * A VPC with one private subnet (and route table) per availability zone, VPC endpoints so nodes reach AWS APIs and
 * the Amazon Linux repositories without internet, and flow logs to a KMS-encrypted log group. Nothing in it is
 * reachable from the internet: no public addresses on nodes, and the default security group stripped of its rules.
 * Outbound internet exists only with `egress: 'nat'`.
 */
export class KafkaNetwork extends Construct {
  /** The VPC, with DNS support and host names on (private hosted zones and interface endpoints need both). */
  readonly vpc: Vpc;
  /** Id of the VPC, as a Terraform reference. */
  readonly vpcId: string;
  /** CIDR of the VPC as given in the props, e.g. `10.30.0.0/16`. */
  readonly vpcCidr: string;
  /** One private subnet per zone, in the order of `availabilityZones`. */
  readonly zoneSubnets: readonly ZoneSubnet[];
  /** Prefix list of the S3 gateway endpoint, for security-group egress rules to S3. */
  readonly s3PrefixListId: string;
  /** Security group of the interface endpoints: HTTPS from the VPC. */
  readonly endpointSecurityGroup: SecurityGroup;
  /** The KMS key encrypting the flow-log group. */
  readonly flowLogKey: KafkaKmsKey;
  /** KMS-encrypted CloudWatch log group the VPC flow logs go to, kept `flowLogRetentionDays` days. */
  readonly flowLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: KafkaNetworkProps) {
    super(scope, id);
    const vpcCidr = parseCidr(props.vpcCidr);
    if (typeof vpcCidr === 'string') throw new Error(`KafkaNetwork ${id}: vpcCidr = ${props.vpcCidr} ${vpcCidr}`);
    const egress = props.egress ?? 'none';
    const layout = zoneCidrs(vpcCidr, { availabilityZones: props.availabilityZones, subnetPrefixLength: props.subnetPrefixLength ?? 24 }, egress);

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      // Route53 private zones and VPC endpoints need both.
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = props.vpcCidr;
    // Adopt the default security group and leave it without rules, so nothing can fall back to it.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: this.vpc.id, tags: { Name: `${props.name}-default-deny` } });

    this.zoneSubnets = layout.map(({ zone, privateCidr }) => {
      const subnet = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: privateCidr,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${zone}`, 'kafka/rack': zone },
      });
      const routeTable = new RouteTable(this, `private-rt-${zone}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${props.name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-rta-${zone}`, { subnetId: subnet.id, routeTableId: routeTable.id });
      return { zone, cidr: privateCidr, subnet, routeTable };
    });

    if (egress === 'nat') this.addNatEgress(props.name, layout);

    const logGroupName = `/aws/vpc/${props.name}/flow-logs`;
    this.flowLogKey = new KafkaKmsKey(this, 'flow-log-key', {
      description: `Encrypts the VPC flow logs of ${props.name}`,
      alias: `${props.name}/flow-logs`,
      // CloudWatch Logs encrypts with the key itself, scoped to this one log group by encryption context.
      serviceStatements: ({ accountId, partition }) => [
        {
          sid: 'CloudWatchLogsUsesKeyForFlowLogGroup',
          principals: [{ type: 'Service', identifiers: [`logs.${props.region}.amazonaws.com`] }],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          condition: [
            {
              test: 'ArnEquals',
              variable: 'kms:EncryptionContext:aws:logs:arn',
              values: [`arn:${partition}:logs:${props.region}:${accountId}:log-group:${logGroupName}`],
            },
          ],
        },
      ],
    });
    const { accountId, partition } = this.flowLogKey;

    const s3 = new VpcEndpoint(this, 'endpoint-s3', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: this.zoneSubnets.map((zone) => zone.routeTable.id),
      policy: s3EndpointPolicy(this, props, accountId, partition).json,
      tags: { Name: `${props.name}-s3` },
    });
    this.s3PrefixListId = s3.prefixListId;

    // A name prefix, so a replacement group can exist before the old one is deleted (a fixed name deadlocks:
    // the new group cannot take the name, the old one cannot go while the endpoints use it).
    this.endpointSecurityGroup = new SecurityGroup(this, 'endpoint-sg', {
      namePrefix: `${props.name}-vpc-endpoints-`,
      description: 'AWS API interface endpoints: HTTPS from inside the VPC only',
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-vpc-endpoints` },
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupIngressRule(this, 'endpoint-https', {
      securityGroupId: this.endpointSecurityGroup.id,
      description: 'HTTPS to AWS APIs from hosts in the VPC',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });
    for (const service of [...(props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS)].sort()) {
      new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.zoneSubnets.map((zone) => zone.subnet.id),
        securityGroupIds: [this.endpointSecurityGroup.id],
        policy: interfaceEndpointPolicy(this, service, accountId).json,
        tags: { Name: `${props.name}-${service}` },
      });
    }
    this.flowLogGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: logGroupName,
      retentionInDays: props.flowLogRetentionDays ?? 365,
      kmsKeyId: this.flowLogKey.keyArn,
    });
    // The flow-log service may assume the role only for this account's flow logs (no confused deputy).
    const assume = new DataAwsIamPolicyDocument(this, 'flow-log-assume', {
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${partition}:ec2:${props.region}:${accountId}:vpc-flow-log/*`] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'flow-log-role', { name: `${props.name}-flow-logs`, assumeRolePolicy: assume.json });
    const write = new DataAwsIamPolicyDocument(this, 'flow-log-write', {
      statement: [
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.arn, `${this.flowLogGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, 'flow-log-policy', { role: role.id, name: 'write-flow-logs', policy: write.json });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.name}-flow-logs` },
    });
  }

  /** Per zone: a public subnet with a NAT gateway, and the zone's private route table pointing at it. */
  private addNatEgress(name: string, layout: readonly { zone: string; publicCidr?: string }[]): void {
    const gateway = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: name } });
    const publicRoutes = new RouteTable(this, 'public-rt', { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, 'public-default', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway.id });
    layout.forEach(({ zone, publicCidr }, index) => {
      const subnet = new Subnet(this, `public-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: publicCidr!,
        // Only the NAT gateway lives here, with its own Elastic IP; nothing else gets a public address.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${zone}` },
      });
      new RouteTableAssociation(this, `public-rta-${zone}`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      const address = new Eip(this, `nat-eip-${zone}`, { domain: 'vpc', tags: { Name: `${name}-nat-${zone}` } });
      // One NAT per zone: a zone outage never cuts the other zones' egress.
      const nat = new NatGateway(this, `nat-${zone}`, {
        subnetId: subnet.id,
        allocationId: address.allocationId,
        tags: { Name: `${name}-${zone}` },
        dependsOn: [gateway],
      });
      new Route(this, `private-default-${zone}`, {
        routeTableId: this.zoneSubnets[index].routeTable.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nat.id,
      });
    });
  }
}

/**
 * What the S3 gateway endpoint lets through: the Amazon Linux 2023 package repositories and the SSM agent's buckets
 * (AWS's own, read-only), the account's own buckets used by its own principals, and the listed objects elsewhere (an
 * artifact mirror), read-only.
 */
function s3EndpointPolicy(scope: Construct, props: KafkaNetworkProps, accountId: string, partition: string): DataAwsIamPolicyDocument {
  const anyone = [{ type: '*', identifiers: ['*'] }];
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      sid: 'AmazonLinuxRepositories',
      principals: anyone,
      actions: ['s3:GetObject'],
      resources: [`arn:${partition}:s3:::al2023-repos-${props.region}-de612dc2/*`],
    },
    {
      // The SSM agent's updates and Patch Manager's baselines (AWS's documented buckets for agents behind endpoints).
      sid: 'SsmAgentAndPatchBaselines',
      principals: anyone,
      actions: ['s3:GetObject'],
      resources: [`amazon-ssm-${props.region}`, `amazon-ssm-packages-${props.region}`, `aws-ssm-${props.region}`, `${props.region}-birdwatcher-prod`, `patch-baseline-snapshot-${props.region}`].map(
        (bucket) => `arn:${partition}:s3:::${bucket}/*`,
      ),
    },
    {
      sid: 'OwnAccountBuckets',
      principals: anyone,
      actions: ['s3:*'],
      resources: ['*'],
      condition: [
        { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [accountId] },
        { test: 'StringEquals', variable: 'aws:ResourceAccount', values: [accountId] },
      ],
    },
  ];
  // EKS nodes pull image layers from ECR's own bucket in the region.
  if ((props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS).includes('ecr.dkr')) {
    statements.push({ sid: 'EcrImageLayers', principals: anyone, actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::prod-${props.region}-starport-layer-bucket/*`] });
  }
  const objects = (props.readableS3Prefixes ?? []).map(({ bucket, prefix }) => `arn:${partition}:s3:::${bucket}/${prefix}/*`).sort();
  if (objects.length > 0) {
    statements.push({
      sid: 'ReadListedObjects',
      principals: anyone,
      actions: ['s3:GetObject'],
      resources: objects,
      condition: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [accountId] }],
    });
  }
  return new DataAwsIamPolicyDocument(scope, 'endpoint-s3-policy', { statement: statements });
}

/**
 * An interface endpoint serves the account's own principals only, and for services whose resources are always the
 * account's, only its own resources: stolen credentials of another account cannot use the VPC as an exit. STS also
 * admits web-identity calls (IRSA), which carry no principal account.
 */
function interfaceEndpointPolicy(scope: Construct, service: string, accountId: string): DataAwsIamPolicyDocument {
  const anyone = [{ type: '*', identifiers: ['*'] }];
  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      sid: 'OwnAccountOnly',
      principals: anyone,
      actions: ['*'],
      resources: ['*'],
      condition: [
        { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [accountId] },
        ...(OWN_RESOURCE_SERVICES.has(service) ? [{ test: 'StringEquals', variable: 'aws:ResourceAccount', values: [accountId] }] : []),
      ],
    },
  ];
  if (service === 'sts') {
    statements.push({
      sid: 'WebIdentityIntoOwnRoles',
      principals: anyone,
      actions: ['sts:AssumeRoleWithWebIdentity'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'aws:ResourceAccount', values: [accountId] }],
    });
  }
  return new DataAwsIamPolicyDocument(scope, `endpoint-${service.replace(/\./g, '-')}-policy`, { statement: statements });
}
