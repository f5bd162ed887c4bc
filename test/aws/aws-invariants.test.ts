import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';

function problemsOf(spec: EnvironmentSpec): string[] {
  return checkEnvironment(spec).problems.map(formatProblem);
}

/** A production VM environment that is valid, so each case below changes exactly one thing. */
function aVmProdSpec(): EnvironmentSpec {
  return withChange(aVmStagingSpec(), (draft) => {
    draft.name = 'prod';
    draft.tier = 'production';
    draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
    draft.runtime.artifactMirror = { bucket: 'acme-artifacts' };
  });
}

describe('AWS rules', () => {
  it('accept the VM production fixture', () => {
    expect(problemsOf(aVmProdSpec())).toEqual([]);
  });

  it.each(['0.0.0.0/0'])('reject a client CIDR of %s in production, naming the field', (cidr) => {
    const spec = withChange(aVmProdSpec(), (draft) => {
      draft.aws.clientCidrs = ['10.21.0.0/16', cidr];
    });
    expect(problemsOf(spec)).toEqual([
      `prod: aws.clientCidrs[1] = "${cidr}", would open Kafka to every address on the internet; list the client networks (security groups admit nothing from 0.0.0.0/0)`,
    ]);
  });

  it('reject 0.0.0.0/0 for monitoring too, and in every tier', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.monitoringCidrs = ['0.0.0.0/0'];
    });
    expect(problemsOf(spec)).toEqual([expect.stringMatching(/^staging: aws\.monitoringCidrs\[0\] = "0\.0\.0\.0\/0", would open Kafka/)]);
  });

  it('reject client CIDRs broader than /8 in production only', () => {
    const broad = (spec: EnvironmentSpec) =>
      withChange(spec, (draft) => {
        draft.aws.clientCidrs = ['64.0.0.0/2'];
      });
    expect(problemsOf(broad(aVmProdSpec()))).toEqual(['prod: aws.clientCidrs[0] = "64.0.0.0/2", is broader than /8; production admits named client networks only']);
    expect(problemsOf(broad(aVmStagingSpec()))).toEqual([]);
  });

  it('reject a client CIDR that straddles the VPC', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.clientCidrs = ['10.0.0.0/8'];
    });
    expect(problemsOf(spec)).toEqual([
      'staging: aws.clientCidrs[0] = "10.0.0.0/8", straddles the VPC 10.20.0.0/16: a peer network lies either inside the VPC or outside it, never both',
    ]);
  });

  it('reject a client CIDR inside a Kafka subnet, but accept one elsewhere in the VPC', () => {
    const inside = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.clientCidrs = ['10.20.1.0/25'];
    });
    expect(problemsOf(inside)).toEqual([
      'staging: aws.clientCidrs[0] = "10.20.1.0/25", overlaps the Kafka subnet of eu-central-1b 10.20.1.0/24; use the clients security group for hosts inside the VPC',
    ]);
    const elsewhere = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.clientCidrs = ['10.20.128.0/20'];
    });
    expect(problemsOf(elsewhere)).toEqual([]);
  });

  it('reject a VPC in public address space', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.vpcCidr = '52.20.0.0/16';
      draft.aws.clientCidrs = [];
    });
    expect(problemsOf(spec)).toEqual([
      'staging: aws.vpcCidr = "52.20.0.0/16", must lie in private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10): public ranges collide with internet destinations',
    ]);
  });

  it('reject overlapping client CIDRs and malformed ones', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.clientCidrs = ['10.21.0.0/16', '10.21.4.0/24', '10.300.0.0/16'];
    });
    expect(problemsOf(spec)).toEqual([
      // The schema parses each CIDR (first); the overlap rule still runs on the ones that parsed.
      'staging: aws.clientCidrs[2] = "10.300.0.0/16", has an octet above 255',
      'staging: aws.clientCidrs[1] = "10.21.4.0/24", overlaps 10.21.0.0/16 listed before it',
    ]);
  });

  it('reject subnets too small for the nodes and the VPC endpoint interfaces', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.subnetPrefixLength = 28;
      draft.kafka.brokers.perZone = 4;
    });
    // 11 addresses hold the 5 nodes (the core rule is satisfied) but not the 7 endpoint interfaces as well.
    expect(problemsOf(spec)).toEqual([
      'staging: aws.subnetPrefixLength = 28, leaves 11 usable addresses per zone, but each zone needs 12 (5 node(s) and 7 VPC endpoint interfaces)',
    ]);
  });

  it('reject a VPC without room for the NAT subnets beside the Kafka subnets', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.vpcCidr = '10.20.0.0/26';
      draft.aws.subnetPrefixLength = 28;
    });
    expect(problemsOf(spec)).toEqual([
      'staging: aws.vpcCidr = "10.20.0.0/26", has no room for 3 public /28 NAT subnet(s) at its end beside 3 private /28 subnet(s) at its start; use a larger VPC or smaller subnets',
    ]);
  });

  it('reject VMs without internet and without a mirror', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.egress = 'none';
    });
    expect(problemsOf(spec)).toEqual([expect.stringMatching(/^staging: aws\.egress = "none", leaves the VMs no way to download Kafka/)]);
    const mirrored = withChange(spec, (draft) => {
      draft.runtime.artifactMirror = { bucket: 'acme-artifacts' };
      draft.runtime.kafkaDistribution = { sha512: 'AB'.repeat(64) };
    });
    expect(problemsOf(mirrored)).toEqual([]);
  });

  it('require a pinned or given Kafka digest in every tier, failing closed', () => {
    const pinned = withChange(aVmProdSpec(), (draft) => {
      draft.runtime.kafkaDistribution = {};
    });
    expect(problemsOf(pinned)).toEqual([]);
    for (const tier of ['dev', 'staging', 'production'] as const) {
      const unpinned = withChange(aVmProdSpec(), (draft) => {
        draft.tier = tier;
        draft.kafka.version = '4.9.0';
        draft.runtime.kafkaDistribution = {};
      });
      expect(problemsOf(unpinned)).toContainEqual(
        `prod: runtime.kafkaDistribution.sha512 is missing, required: Kafka 4.9.0 has no digest pinned in this package (pinned: 4.0.0, 4.1.1); give the SHA-512 of kafka_2.13-4.9.0.tgz from Apache's .sha512 file, verified with Apache's KEYS`,
      );
    }
    const badDigest = withChange(aVmProdSpec(), (draft) => {
      draft.runtime.kafkaDistribution = { sha512: 'abc' };
    });
    expect(problemsOf(badDigest)).toEqual(['prod: runtime.kafkaDistribution.sha512 = "abc", must be a SHA-512 digest: 128 hex digits']);
  });

  it('reject burstable instance types for production VMs', () => {
    const spec = withChange(aVmProdSpec(), (draft) => {
      draft.kafka.controllers.size = { instanceType: 't3.large' };
    });
    expect(problemsOf(spec)).toEqual([
      'prod: kafka.controllers.size.instanceType = "t3.large", is burstable: once its CPU credits run out the node slows down for the whole cluster; use m, r or c types in production',
    ]);
  });

  it('reject cluster names that make DNS labels too long', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.aws.region = 'ap-southeast-1';
      draft.aws.availabilityZones = ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'];
      draft.kafka.clusterName = 'a'.repeat(40);
    });
    expect(problemsOf(spec)).toEqual([
      `staging: kafka.clusterName = "${'a'.repeat(40)}", makes node names such as ${'a'.repeat(40)}-broker-ap-southeast-1a-0 longer than a DNS label's 63 characters`,
    ]);
  });

  describe('EKS node groups', () => {
    const withEks = (change: (draft: any) => void = () => {}) =>
      withChange(aThreeZoneProdSpec(), (draft) => {
        draft.aws.eks = { clusterName: 'platform' };
        change(draft);
      });

    it('accept the Kubernetes production fixture with an EKS cluster', () => {
      expect(problemsOf(withEks())).toEqual([]);
    });

    it('need a subnet for every zone and no other', () => {
      const spec = withEks((draft) => {
        draft.aws.eks.subnetIds = { 'eu-west-1a': 'subnet-0123456789abcdef0', 'eu-west-1b': 'subnet-0123456789abcdef1', 'eu-west-2a': 'subnet-0123456789abcdef2' };
      });
      expect(problemsOf(spec)).toEqual([
        'prod: aws.eks.subnetIds.eu-west-2a = "subnet-0123456789abcdef2", names a zone not in aws.availabilityZones (eu-west-1a, eu-west-1b, eu-west-1c)',
        'prod: aws.eks.subnetIds.eu-west-1c is missing, every zone in aws.availabilityZones needs the subnet its Kafka nodes run in',
      ]);
    });

    it('reject an instance type that cannot hold the pod and the system reserve', () => {
      const spec = withEks((draft) => {
        draft.kafka.brokers.size = { cpu: 4, memoryGiB: 32, instanceType: 'r6i.xlarge' };
      });
      expect(problemsOf(spec)).toEqual([
        "prod: kafka.brokers.size.instanceType = \"r6i.xlarge\", cannot hold a broker pod of 4 vCPU / 32 GiB plus the node's system reserve (0.5 vCPU, 1.5 GiB): pick a larger type or a smaller pod",
      ]);
    });

    it('reject aws.eks on the VM runtime', () => {
      const spec = withChange(aVmStagingSpec(), (draft) => {
        draft.aws.eks = { clusterName: 'platform' };
      });
      expect(problemsOf(spec)).toEqual([expect.stringMatching(/^staging: aws\.eks = .*applies to runtime\.kind "kubernetes" only/)]);
    });
  });
});
