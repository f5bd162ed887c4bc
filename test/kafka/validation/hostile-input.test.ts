/**
 * Regression tests for the classes of issue 11 ("validation that holds against hostile input"), one describe per
 * class, each example of the issue by name. The property suites (test/property/) generate thousands more.
 */
import { aclLine } from '../../../constructs/kafka/security/acl-plan';
import type { EnvironmentSpec } from '../../../constructs/kafka/spec/environment-spec';
import { cronScheduleProblem, imageReferenceProblem, qualifiedNameProblem } from '../../../constructs/kafka/spec/kubernetes-names';
import { renderProperties } from '../../../constructs/kafka/config/properties-file';
import { SPEC_ROOT, describeValue, formatProblem } from '../../../constructs/kafka/validation/problems';
import { checkEnvironment } from '../../../constructs/kafka/validation/validate';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../../fixtures/environments';

function problemsOf(spec: unknown): string[] {
  return checkEnvironment(spec).problems.map(formatProblem);
}

/** The problems of `base` changed by `change`; `base` is valid, so every problem comes from the change. */
function problemsAfter(change: (draft: any) => void, base: () => EnvironmentSpec = aThreeZoneProdSpec): string[] {
  const draft = structuredClone(base()) as any;
  change(draft);
  return problemsOf(draft);
}

const expectOneProblemAt = (problems: string[], path: string) => {
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) expect(problem).toMatch(new RegExp(`^prod: ${path.replace(/[.[\]$()*]/g, '\\$&')}`));
};

describe('the formatter and the bounds (class 1)', () => {
  it.each([
    ['a BigInt', 10n, '10n'],
    ['a cyclic object', (() => { const o: any = { a: 1 }; o.self = o; return o; })(), '{"a":1,"self":(cycle)}'],
    ['an object whose toJSON throws', { toJSON: () => { throw new Error('boom'); } }, '{"toJSON":(function)}'],
    ['a throwing getter', Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('boom'); } }), '{"x":(unreadable)}'],
    ['a symbol', Symbol('s'), 'Symbol("s")'],
  ])('prints %s without throwing', (_, value, printed) => {
    expect(describeValue(value)).toBe(printed);
    const problems = problemsAfter((draft) => (draft.kafka.replicationFactor = value));
    expect(problems).toEqual([expect.stringMatching(/^prod: kafka\.replicationFactor = /)]);
  });

  it('perZone = 2**32 is bounded in the schema before any broker is built', () => {
    expect(problemsAfter((draft) => (draft.kafka.brokers.perZone = 2 ** 32))).toEqual(['prod: kafka.brokers.perZone = 4294967296, must be ≤ 1000']);
  });

  it('controllers.count = 2**31+1 is bounded in the schema (no heap exhaustion)', () => {
    expect(problemsAfter((draft) => (draft.kafka.controllers.count = 2 ** 31 + 1))).toEqual([
      'prod: kafka.controllers.count = 2147483649, must be 3 or 5 (1 outside production)',
    ]);
  });

  it('a spec that is no object names the spec itself', () => {
    expect(problemsOf(42)).toEqual([`environment: ${SPEC_ROOT} = 42, must be an environment spec object ({ name, tier, aws, runtime, kafka, terraformState, ... })`]);
  });
});

describe('injection (class 2): no user string reaches a sink unescaped', () => {
  it('Terraform expression: a secret name ${file("/etc/passwd")} is rejected', () => {
    const problems = problemsAfter((draft) => {
      draft.security = { ...draft.security, users: { app: { password: { awsSecret: '${file("/etc/passwd")}' } } } };
    });
    expect(problems).toEqual([expect.stringMatching(/^prod: security\.users\.app\.password\.awsSecret = "\$\{file.*must be a Secrets Manager secret name/)]);
  });

  it.each([
    ['a tag value', (d: any) => (d.tags = { team: '${file("/etc/passwd")}' }), 'tags.team'],
    ['a tag key', (d: any) => (d.tags = { '%{ if true }': 'x' }), 'tags'],
    ['the state key prefix', (d: any) => (d.terraformState.keyPrefix = '${var.x}'), 'terraformState.keyPrefix'],
  ])('Terraform expression: %s with template syntax is rejected', (_, change, path) => {
    expectOneProblemAt(problemsAfter(change), path);
  });

  it('plan file: an ACL host with a newline (adding an entry for an undeclared principal) is rejected', () => {
    const problems = problemsAfter((draft) => {
      draft.security = { ...draft.security,
        users: { app: { password: 'generated' } },
        acls: { app: [{ bundle: 'custom', resourceType: 'topic', name: 'orders', operations: ['Read'], host: '*\nUser:evil|ALLOW|*|ALL|TOPIC|LITERAL|*' }] },
      };
    });
    expect(problems).toEqual([expect.stringMatching(/^prod: security\.acls\.app\[0\]\.host = "\*\\nUser:evil.*must be "\*" or one IPv4 or IPv6 address/)]);
  });

  it('plan file: the line renderer refuses a field that would split or forge a line', () => {
    const entry = { principal: 'User:app', permission: 'ALLOW', host: '*', operation: 'READ', resourceType: 'TOPIC', patternType: 'LITERAL', name: 'orders' } as const;
    expect(aclLine(entry)).toBe('User:app|ALLOW|*|READ|TOPIC|LITERAL|orders');
    expect(() => aclLine({ ...entry, host: '*\nUser:evil' })).toThrow(/line break/);
    expect(() => aclLine({ ...entry, principal: 'User:a|b' })).toThrow(/"\|"/);
  });

  it('plan file: a principal that is no user name is rejected', () => {
    expectOneProblemAt(problemsAfter((draft) => (draft.security = { ...draft.security, acls: { 'User:evil\nx': [] } })), 'security.acls');
  });

  it.each([
    ['the JMX exporter jar path', (d: any) => (d.monitoring = { jmxExporter: { image: 'mirror/jmx:1', jarPath: '/opt/$(reboot).jar' } }), 'monitoring.jmxExporter.jarPath', aThreeZoneProdSpec],
    ['the Kafka download URL', (d: any) => (d.runtime.kafkaDistribution = { url: 'https://x.example/$(id).tgz' }), 'runtime.kafkaDistribution.url', aVmStagingSpec],
    ['the artifact mirror bucket', (d: any) => (d.runtime.artifactMirror = { bucket: 'b;reboot' }), 'runtime.artifactMirror.bucket', aVmStagingSpec],
    // Both were accepted by the schema and then crashed synth in bootstrap.env's own check.
    ['a download URL with ";"', (d: any) => (d.runtime.kafkaDistribution = { url: 'https://x.example/a;reboot.tgz' }), 'runtime.kafkaDistribution.url', aVmStagingSpec],
    ['an artifact prefix with "(" and "*"', (d: any) => ((d.runtime.artifactMirror = { bucket: 'mirror-bucket', prefix: 'kafka(1)*' }), (d.runtime.kafkaDistribution = { sha512: 'a'.repeat(128) })), 'runtime.artifactMirror.prefix', aVmStagingSpec],
  ])('shell script / env file: %s with shell syntax is rejected', (_, change, path, base) => {
    const problems = problemsAfter(change, base);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.split(' = ')[0]).toMatch(new RegExp(`: ${path.replace(/[.[\]]/g, '\\$&')}$`));
  });

  it('properties file: the writer escapes backslashes and refuses line breaks; user strings with them are rejected first', () => {
    expect(renderProperties([], [{ title: 't', entries: [['a.b', 'C:\\x']] }])).toContain('a.b=C:\\\\x');
    expect(() => renderProperties([], [{ title: 't', entries: [['k', 'x\ny=1']] }])).toThrow(/line break/);
    // Zones become broker.rack, the external domain becomes advertised.listeners.
    expectOneProblemAt(problemsAfter((draft) => (draft.aws.availabilityZones[2] = 'eu-west-1c\nprocess.roles=controller')), 'aws.availabilityZones[2]');
    expectOneProblemAt(problemsAfter((draft) => (draft.kafka.listeners = { external: { domain: 'kafka.example.com\nx=1' } })), 'kafka.listeners.external.domain');
  });
});

describe('free-form strings that reach manifests (class 3)', () => {
  it.each([
    ['a label key', (d: any) => (d.runtime.nodeSelector = { 'bad key!': 'x' }), 'runtime.nodeSelector'],
    ['a label value over 63 characters', (d: any) => (d.runtime.nodeSelector = { pool: 'x'.repeat(64) }), 'runtime.nodeSelector.pool'],
    ['a pod label value', (d: any) => (d.security = { ...d.security, network: { clients: [{ namespace: 'apps', podLabels: { app: '-bad-' } }] } }), 'security.network.clients[0].podLabels.app'],
    ['an annotation key', (d: any) => (d.runtime.externalAccess = { annotations: { 'Bad/Key': 'x' } }), 'runtime.externalAccess.annotations'],
    ['the image "-"', (d: any) => (d.kafka.image = '-'), 'kafka.image'],
    ['a storage provisioner', (d: any) => (d.runtime.storageClass = { provisioner: 'not a provisioner' }), 'runtime.storageClass.provisioner'],
    ['a load balancer class', (d: any) => (d.runtime.externalAccess = { loadBalancerClass: '-' }), 'runtime.externalAccess.loadBalancerClass'],
    ['an issuer name', (d: any) => (d.security = { ...d.security, certificates: { authority: { mode: 'issuer', kind: 'ClusterIssuer', name: 'Corporate CA' } } }), 'security.certificates.authority.name'],
    ['the cron schedule "99 99 99 99 99"', (d: any) => (d.security = { ...d.security, reconcileSchedule: '99 99 99 99 99' }), 'security.reconcileSchedule'],
    ['the state bucket region ""', (d: any) => (d.terraformState.region = ''), 'terraformState.region'],
    ['the CIDR 300.1.1.1/8', (d: any) => (d.security = { ...d.security, network: { apiServerCidrs: ['300.1.1.1/8'] } }), 'security.network.apiServerCidrs[0]'],
    ['the CIDR 10.0.0.0/40', (d: any) => (d.runtime.externalAccess = { sourceRanges: ['10.0.0.0/40'] }), 'runtime.externalAccess.sourceRanges[0]'],
    ['a CIDR with leading zeros', (d: any) => (d.aws.vpcCidr = '010.030.0.0/16'), 'aws.vpcCidr'],
  ])('%s is rejected, naming the field', (_, change, path) => {
    expectOneProblemAt(problemsAfter(change), path);
  });

  it('the reusable refinements accept what Kubernetes accepts', () => {
    for (const image of ['apache/kafka:4.1.1', 'localhost:5000/kafka', `quay.io/a/b@sha256:${'a'.repeat(64)}`, 'docker.io/library/busybox:1.36.1']) {
      expect(imageReferenceProblem(image)).toBeUndefined();
    }
    for (const key of ['app.kubernetes.io/name', 'dedicated', 'service.beta.kubernetes.io/aws-load-balancer-type']) expect(qualifiedNameProblem(key)).toBeUndefined();
    for (const schedule of ['*/5 * * * *', '0 3 * * 1-5', '@hourly', '0 0 1 JAN,JUL SUN']) expect(cronScheduleProblem(schedule)).toBeUndefined();
    expect(cronScheduleProblem('0 24 * * *')).toMatch(/as hour, which must lie in 0-23/);
  });
});

describe('numbers that round to nonsense (class 4)', () => {
  it.each([
    ['heapGiB 1e-9 (-Xmx0m)', (d: any) => (d.kafka.brokers.size.heapGiB = 1e-9), 'kafka.brokers.size.heapGiB'],
    ['cpu 1e-9 (0m)', (d: any) => (d.kafka.brokers.size.cpu = 1e-9), 'kafka.brokers.size.cpu'],
    ['cpu with sub-millicore digits', (d: any) => (d.kafka.brokers.size.cpu = 1.0005), 'kafka.brokers.size.cpu'],
    ['a node id past int32', (d: any) => (d.kafka.nodeIds = { firstBroker: 2 ** 31 }), 'kafka.nodeIds.firstBroker'],
    ['certificate durations past what cert-manager parses', (d: any) => (d.security = { ...d.security, certificates: { durationHours: 3_000_000 } }), 'security.certificates.durationHours'],
  ])('%s is rejected', (_, change, path) => {
    expect(problemsAfter(change).some((problem) => problem.startsWith(`prod: ${path} = `))).toBe(true);
  });

  it('derived node ids past int32 are rejected before any node is built', () => {
    expect(problemsAfter((draft) => (draft.kafka.nodeIds = { firstBroker: 2 ** 31 - 100, zoneStride: 100 }))).toEqual([
      'prod: kafka.nodeIds = {"firstController":0,"firstBroker":2147483548,"zoneStride":100}, makes the last broker\'s node.id 2147483749, past Kafka\'s maximum 2147483647 (int32)',
    ]);
  });
});

describe('names and limits of the target system (class 5)', () => {
  it('an IAM role name past 64 characters is rejected', () => {
    const problems = problemsAfter((draft) => {
      draft.name = 'environment-with-a-long-name';
      draft.kafka.clusterName = 'cluster-with-a-long-name-too';
    });
    expect(problems).toContainEqual(expect.stringMatching(/kafka\.clusterName = .*makes IAM role names such as .*-flow-logs \(67 characters\) longer than IAM's 64/));
  });

  it('a DNS label past 63 characters is rejected', () => {
    expectOneProblemAt(problemsAfter((draft) => (draft.security = { ...draft.security, certificates: { extraDnsNames: [`${'a'.repeat(64)}.example.com`] } })), 'security.certificates.extraDnsNames[0]');
  });

  it('more than 43 tags (AWS allows 50, this project adds 7) are rejected', () => {
    const tags = Object.fromEntries(Array.from({ length: 44 }, (_, index) => [`tag-${index}`, 'x']));
    expect(problemsAfter((draft) => (draft.tags = tags))).toEqual([expect.stringMatching(/^prod: tags = .*must have at most 43 tags/)]);
  });

  it('reserved aws: tag keys and our own tag keys are rejected', () => {
    expect(problemsAfter((draft) => (draft.tags = { 'aws:createdBy': 'me', Name: 'x' }))).toEqual([
      'prod: tags["aws:createdBy"] = "aws:createdBy", is not a valid key here: it must not start with "aws:" (reserved by AWS)',
      'prod: tags.Name = "Name", is not a valid key here: it is set by this project itself (Name, kafka/environment, kafka/cluster, managed-by, kafka/node-id, kafka/role, kafka/rack)',
    ]);
  });
});

describe('unknown keys and one run for everything (class 6)', () => {
  it('an own __proto__ key is reported, not dropped', () => {
    const spec = JSON.parse(JSON.stringify(aThreeZoneProdSpec()).replace('"kafka":{', '"kafka":{"__proto__":{"autoCreateTopics":true},'));
    expect(problemsOf(spec)).toEqual(['prod: kafka.__proto__ = {"autoCreateTopics":true}, is not a known field (misspelt?)']);
  });

  it('cross-field rules run on the fields that parsed: a schema error does not hide them', () => {
    const problems = problemsAfter((draft) => {
      draft.kafka.image = '-';
      draft.kafka.replicationFactor = 9;
      draft.kafka.controllers.count = 4;
    });
    expect(problems).toEqual([
      expect.stringMatching(/^prod: kafka\.image = "-", must be an image reference/),
      'prod: kafka.controllers.count = 4, must be odd (3 or 5): an even quorum survives no more failures than the odd one below it',
      'prod: kafka.replicationFactor = 9, exceeds the 6 brokers',
      expect.stringMatching(/^prod: aws\.availabilityZones = .*has 3 zone\(s\); production needs at least as many as kafka\.replicationFactor \(9\)/),
    ]);
  });

  it('a rule that needs a rejected field is skipped rather than guessing', () => {
    const problems = problemsAfter((draft) => {
      draft.kafka.brokers.perZone = 'two';
      draft.kafka.replicationFactor = 9;
    });
    expect(problems).toEqual(['prod: kafka.brokers.perZone = "two", must be a broker count (≥ 1) or a map from zone to broker count']);
  });

  it('an even quorum over 3 zones says what is wrong, not "use at least 3 zones"', () => {
    const problems = problemsAfter((draft) => (draft.kafka.controllers.count = 4));
    expect(problems).toEqual(['prod: kafka.controllers.count = 4, must be odd (3 or 5): an even quorum survives no more failures than the odd one below it']);
    expect(problemsAfter((draft) => (draft.aws.availabilityZones = ['eu-west-1a', 'eu-west-1b']), aThreeZoneProdSpec).join('\n')).toMatch(/use at least 3 zones/);
  });

  it('the dev fixture with a hostile value in every top-level section reports each section', () => {
    const problems = checkEnvironment(
      withChange(aSingleZoneDevSpec(), (draft) => {
        draft.aws.region = 'x';
        draft.kafka.version = '3.9.0';
        draft.terraformState.bucket = 'UPPER';
        draft.tags = { '': 'x' };
      }),
    ).problems.map((problem) => problem.path);
    expect(problems).toEqual(expect.arrayContaining(['aws.region', 'kafka.version', 'terraformState.bucket']));
  });
});
