import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { formatCidr, nthSubnet, parseCidr } from '../kafka/cidr';

export interface KafkaNetworkProps {
  /** Name prefix of every resource, e.g. `prod-kafka`. */
  readonly name: string;
  /** CIDR of the VPC, e.g. `10.30.0.0/16`. */
  readonly vpcCidr: string;
  /** Zones to place Kafka in; each gets one private subnet and is one Kafka rack. */
  readonly availabilityZones: readonly string[];
  /** Prefix length of each zone's subnet, carved from the start of the VPC in zone order. @default 24 */
  readonly subnetPrefixLength?: number;
}

/** A zone's private subnet. */
export interface ZoneSubnet {
  readonly zone: string;
  readonly cidr: string;
  readonly subnet: Subnet;
  readonly routeTable: RouteTable;
}

/**
 * A VPC with one private subnet (and route table) per availability zone. Nothing in it is reachable from the
 * internet: no internet gateway, no public addresses, and the default security group stripped of its rules.
 */
export class KafkaNetwork extends Construct {
  readonly vpc: Vpc;
  readonly vpcId: string;
  /** One private subnet per zone, in the order of `availabilityZones`. */
  readonly zoneSubnets: readonly ZoneSubnet[];

  constructor(scope: Construct, id: string, props: KafkaNetworkProps) {
    super(scope, id);
    const vpcCidr = parseCidr(props.vpcCidr);
    if (typeof vpcCidr === 'string') throw new Error(`KafkaNetwork ${id}: vpcCidr = ${props.vpcCidr} ${vpcCidr}`);
    const prefixLength = props.subnetPrefixLength ?? 24;

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      // Route53 private zones and VPC endpoints need both.
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    this.vpcId = this.vpc.id;
    // Adopt the default security group and leave it without rules, so nothing can fall back to it.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: this.vpc.id, tags: { Name: `${props.name}-default-deny` } });

    this.zoneSubnets = props.availabilityZones.map((zone, index) => {
      const cidr = formatCidr(nthSubnet(vpcCidr, prefixLength, index));
      const subnet = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: cidr,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${zone}`, 'kafka/rack': zone },
      });
      const routeTable = new RouteTable(this, `private-rt-${zone}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${props.name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-rta-${zone}`, { subnetId: subnet.id, routeTableId: routeTable.id });
      return { zone, cidr, subnet, routeTable };
    });
  }
}
