import { formatProblem } from '../../../constructs/kafka/validation/problems';
import { SpecValidationError } from '../../../constructs/kafka/validation/problems';
import { checkEnvironment, validateEnvironments } from '../../../constructs/kafka/validation/validate';
import type { EnvironmentSpec } from '../../../constructs/kafka/spec/environment-spec';
import { environments } from '../../../environments';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../../fixtures/environments';

function problemsOf(spec: EnvironmentSpec): string[] {
  return checkEnvironment(spec).problems.map(formatProblem);
}

describe('the example environments', () => {
  it('are all valid', () => {
    expect(() => validateEnvironments(environments)).not.toThrow();
  });

  it('include dev, staging and prod, and both runtimes', () => {
    const specs = validateEnvironments(environments);
    expect(specs.map((spec) => spec.name)).toEqual(expect.arrayContaining(['dev', 'staging', 'prod']));
    expect(new Set(specs.map((spec) => spec.runtime.kind))).toEqual(new Set(['kubernetes', 'vm']));
  });

  it('have prod over 3 zones with 3 controllers and at least one broker per zone', () => {
    const prod = validateEnvironments(environments).find((spec) => spec.name === 'prod')!;
    expect(prod.aws.availabilityZones).toHaveLength(3);
    expect(prod.kafka.controllers.count).toBe(3);
    expect(prod.kafka.brokers.perZone).toBeGreaterThanOrEqual(1);
  });

  it.each([aThreeZoneProdSpec(), aSingleZoneDevSpec(), aVmStagingSpec()])('fixture $name is valid', (spec) => {
    expect(problemsOf(spec)).toEqual([]);
  });
});

describe('schema errors', () => {
  it('name the environment, the field, the value and what is allowed', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.kafka.brokers.perZone = 0;
    });
    expect(problemsOf(spec)).toEqual(['prod: kafka.brokers.perZone = 0, must be ≥ 1']);
  });

  it('reject a misspelt field instead of ignoring it', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.kafka.replicatonFactor = 3;
    });
    expect(problemsOf(spec)).toEqual(['prod: kafka.replicatonFactor = 3, is not a known field (misspelt?)']);
  });

  it('report a missing required field', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      delete draft.kafka.clusterId;
    });
    expect(problemsOf(spec)).toEqual(['prod: kafka.clusterId is missing, required (string)']);
  });

  it('report an unknown runtime', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.runtime = { kind: 'k8s' };
    });
    const [problem] = problemsOf(spec);
    expect(problem).toMatch(/^prod: runtime\.kind = "k8s", .*kubernetes.*vm/);
  });

  it('reject a ZooKeeper-era Kafka version', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.kafka.version = '3.7.0';
    });
    expect(problemsOf(spec)).toEqual([expect.stringMatching(/^prod: kafka\.version = "3\.7\.0", must be a Kafka 4\.x release/)]);
  });

  it('are all reported together', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => {
      draft.kafka.brokers.perZone = 0;
      draft.kafka.version = '3.7.0';
      draft.tier = 'prod';
    });
    expect(problemsOf(spec)).toHaveLength(3);
  });
});

describe('cross-field invariants', () => {
  const cases: [string, (draft: any) => void, string][] = [
    ['an even controller count', (d) => (d.kafka.controllers.count = 4), 'prod: kafka.controllers.count = 4, must be odd (3 or 5)'],
    ['one controller in production', (d) => (d.kafka.controllers.count = 1), 'prod: kafka.controllers.count = 1, must be 3 or 5 in production'],
    ['seven controllers', (d) => (d.kafka.controllers.count = 7), 'prod: kafka.controllers.count = 7, must be 3 or 5 (1 outside production)'],
    [
      'unequal brokers per zone',
      (d) => (d.kafka.brokers.perZone = { 'eu-west-1a': 2, 'eu-west-1b': 2, 'eu-west-1c': 1 }),
      'prod: kafka.brokers.perZone = {"eu-west-1a":2,"eu-west-1b":2,"eu-west-1c":1}, must give every zone the same number of brokers',
    ],
    [
      'a per-zone count for an unknown zone',
      (d) => (d.kafka.brokers.perZone = { 'eu-west-1a': 2, 'eu-west-1b': 2, 'eu-west-1c': 2, 'eu-west-1d': 2 }),
      'prod: kafka.brokers.perZone.eu-west-1d = 2, names a zone not in aws.availabilityZones',
    ],
    [
      'a replication factor above the broker count',
      (d) => {
        d.kafka.brokers.perZone = 1;
        d.kafka.replicationFactor = 4;
      },
      'prod: kafka.replicationFactor = 4, exceeds the 3 brokers',
    ],
    ['min.insync.replicas equal to the replication factor', (d) => (d.kafka.minInsyncReplicas = 3), 'prod: kafka.minInsyncReplicas = 3, must be below kafka.replicationFactor (3)'],
    ['min.insync.replicas above the replication factor', (d) => (d.kafka.minInsyncReplicas = 4), 'prod: kafka.minInsyncReplicas = 4, exceeds kafka.replicationFactor (3)'],
    ['min.insync.replicas of 1 in production', (d) => (d.kafka.minInsyncReplicas = 1), 'prod: kafka.minInsyncReplicas = 1, must be ≥ 2 in production'],
    [
      'fewer zones than the replication factor in production',
      (d) => {
        d.aws.availabilityZones = ['eu-west-1a', 'eu-west-1b'];
        d.kafka.brokers.perZone = 3;
        d.kafka.controllers.count = 3;
      },
      'prod: aws.availabilityZones = ["eu-west-1a","eu-west-1b"], has 2 zone(s); production needs at least as many as kafka.replicationFactor (3)',
    ],
    ['a cluster id that is not 22 characters', (d) => (d.kafka.clusterId = 'my-cluster'), 'prod: kafka.clusterId = "my-cluster", must be 22 base64url characters'],
    ['a cluster id that is not a UUID', (d) => (d.kafka.clusterId = 'iISawsuGVJrthHr6igQxdB'), 'prod: kafka.clusterId = "iISawsuGVJrthHr6igQxdB", does not decode to a 16-byte UUID'],
    ['an invalid VPC CIDR', (d) => (d.aws.vpcCidr = '10.300.0.0/16'), 'prod: aws.vpcCidr = "10.300.0.0/16", has an octet above 255'],
    ['a VPC CIDR with host bits', (d) => (d.aws.vpcCidr = '10.30.1.0/16'), 'prod: aws.vpcCidr = "10.30.1.0/16", has host bits set (did you mean 10.30.0.0/16?)'],
    [
      'per-zone subnets that do not fit the VPC',
      (d) => {
        d.aws.vpcCidr = '10.30.0.0/20';
        d.aws.subnetPrefixLength = 21;
      },
      'prod: aws.subnetPrefixLength = 21, fits 2 subnet(s) in 10.30.0.0/20, but 3 zones need one each',
    ],
    ['a plaintext client listener outside dev', (d) => (d.kafka.listeners = { client: { tls: false, authentication: 'scram-sha-512' } }), 'prod: kafka.listeners.client.tls = false, would make a SASL_PLAINTEXT listener; plaintext is allowed only in dev'],
    ['an unauthenticated client listener outside dev', (d) => (d.kafka.listeners = { client: { authentication: 'none' } }), 'prod: kafka.listeners.client.authentication = "none", must authenticate outside dev'],
    [
      'overlapping node ids',
      (d) => (d.kafka.nodeIds = { firstController: 100 }),
      'prod: kafka.nodeIds = {"firstController":100,"firstBroker":100,"zoneStride":100}, gives node.id 100 to both kafka-controller-0 and kafka-broker-eu-west-1a-0',
    ],
    ['more brokers per zone than the id stride', (d) => (d.kafka.brokers.perZone = 101), 'prod: kafka.brokers.perZone = 101, exceeds kafka.nodeIds.zoneStride (100)'],
    ['a zone outside the region', (d) => (d.aws.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'us-east-1a']), 'prod: aws.availabilityZones[2] = "us-east-1a", is not an availability zone of eu-west-1'],
    ['a listener port used twice', (d) => (d.kafka.listeners = { client: { port: 9093 } }), 'prod: kafka.listeners.controller.port = 9093, is already used by kafka.listeners.client.port'],
    ['auto topic creation outside dev', (d) => (d.kafka.autoCreateTopics = true), 'prod: kafka.autoCreateTopics = true, only dev may create topics on first write'],
    ['a heap too large for the memory', (d) => (d.kafka.brokers.size.heapGiB = 20), 'prod: kafka.brokers.size.heapGiB = 20, is too large for 32 GiB of memory'],
    ['gp3 throughput above its IOPS allowance', (d) => (d.kafka.brokers.storage = { sizeGiB: 1000, iops: 3000, throughputMiBps: 1000 }), 'prod: kafka.brokers.storage.throughputMiBps = 1000, exceeds gp3\'s 0.25 MiB/s per IOPS (750 at 3000 IOPS)'],
    ['io2 without IOPS', (d) => (d.kafka.brokers.storage = { sizeGiB: 1000, volumeType: 'io2' }), 'prod: kafka.brokers.storage.iops is missing, required for io2'],
    ['an image tag that contradicts the version', (d) => (d.kafka.image = 'apache/kafka:4.0.0'), 'prod: kafka.image = "apache/kafka:4.0.0", is tagged 4.0.0 but kafka.version is 4.1.1'],
    ['a controller quorum that a zone loss breaks', (d) => {
      d.aws.availabilityZones = ['eu-west-1a', 'eu-west-1b'];
      d.kafka.replicationFactor = 2;
    }, 'prod: kafka.controllers.count = 3, over 2 zone(s) loses its majority when one zone fails (1 of 3 voters left, 2 needed)'],
  ];

  it.each(cases)('reject %s', (_name, change, expected) => {
    const problems = problemsOf(withChange(aThreeZoneProdSpec(), change));
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('allow what production forbids in dev: one controller, RF 1, plaintext, auto-created topics', () => {
    expect(problemsOf(aSingleZoneDevSpec())).toEqual([]);
  });

  it('allow per-zone broker counts when they are equal', () => {
    const spec = withChange(aThreeZoneProdSpec(), (d) => (d.kafka.brokers.perZone = { 'eu-west-1a': 2, 'eu-west-1b': 2, 'eu-west-1c': 2 }));
    expect(problemsOf(spec)).toEqual([]);
  });

  it('allow five controllers over three zones in production', () => {
    const spec = withChange(aThreeZoneProdSpec(), (d) => (d.kafka.controllers.count = 5));
    expect(problemsOf(spec)).toEqual([]);
  });

  it('allow a single controller outside production', () => {
    const spec = withChange(aVmStagingSpec(), (d) => (d.kafka.controllers.count = 1));
    expect(problemsOf(spec)).toEqual([]);
  });

  it('reject a VM environment without instance types', () => {
    const spec = withChange(aVmStagingSpec(), (d) => (d.kafka.brokers.size = { cpu: 2, memoryGiB: 16 }));
    expect(problemsOf(spec)).toEqual(['staging: kafka.brokers.size.instanceType is missing, required when runtime.kind is "vm"']);
  });

  it('reject an instance type too small for a broker', () => {
    const spec = withChange(aVmStagingSpec(), (d) => (d.kafka.brokers.size = { instanceType: 't3.medium', heapGiB: 3 }));
    expect(problemsOf(spec)).toEqual([expect.stringContaining('staging: kafka.brokers.size.heapGiB = 3, is too large for 4 GiB of memory (t3.medium)')]);
  });
});

describe('across environments', () => {
  it('reject two environments with the same cluster id', () => {
    const staging = withChange(aVmStagingSpec(), (d) => (d.kafka.clusterId = 'iISawsuGVJrthHr6igQxdA'));
    expect(() => validateEnvironments([aThreeZoneProdSpec(), staging])).toThrow(
      'staging: kafka.clusterId = "iISawsuGVJrthHr6igQxdA", is already the cluster id of prod',
    );
  });

  it('reject two environments with the same name', () => {
    expect(() => validateEnvironments([aThreeZoneProdSpec(), aThreeZoneProdSpec()])).toThrow('prod: name = "prod", is used by another environment');
  });

  it('throw one error listing the problems of every environment', () => {
    const badProd = withChange(aThreeZoneProdSpec(), (d) => (d.kafka.replicationFactor = 9));
    const badDev = withChange(aSingleZoneDevSpec(), (d) => (d.kafka.controllers.count = 2));
    let error: unknown;
    try {
      validateEnvironments([badProd, badDev]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    const message = (error as SpecValidationError).message;
    expect(message).toContain('prod: kafka.replicationFactor = 9, exceeds the 6 brokers');
    expect(message).toContain('dev: kafka.controllers.count = 2, must be odd');
    expect(message).not.toMatch(/TypeError|undefined|NaN/);
  });
});
