import { type AclEntry, aclLine, desiredAcls, expandGrant, ownedPrincipals, parseAclLine, planAcls } from '../../constructs/kafka/security/acl-plan';
import { consumer, producer, transactionalProducer } from '../../constructs/kafka/spec/security';
import { aclGrantSchema } from '../../constructs/kafka/spec/security';
import { aProdSpecWithUsers, resolved } from './fixtures';

const grant = (input: unknown) => aclGrantSchema.parse(input);
const entry = (principal: string, operation: string, resourceType: AclEntry['resourceType'], name: string, patternType: AclEntry['patternType'] = 'LITERAL'): AclEntry => ({
  principal,
  permission: 'ALLOW',
  host: '*',
  operation,
  resourceType,
  patternType,
  name,
});

describe('ACL bundles', () => {
  test('producer: Write and Describe on the topic only', () => {
    expect(expandGrant('orders', grant(producer('orders'))).map(aclLine)).toEqual([
      'User:orders|ALLOW|*|WRITE|TOPIC|LITERAL|orders',
      'User:orders|ALLOW|*|DESCRIBE|TOPIC|LITERAL|orders',
    ]);
  });

  test('consumer: Read and Describe on the topic, Read on the group, prefixed when asked', () => {
    expect(expandGrant('app', grant(consumer('events.', 'app-', { prefixed: true }))).map(aclLine)).toEqual([
      'User:app|ALLOW|*|READ|TOPIC|PREFIXED|events.',
      'User:app|ALLOW|*|DESCRIBE|TOPIC|PREFIXED|events.',
      'User:app|ALLOW|*|READ|GROUP|PREFIXED|app-',
    ]);
  });

  test('transactional producer: topic Write/Describe and transactional id Write/Describe', () => {
    expect(expandGrant('tx', grant(transactionalProducer('ledger', 'ledger-writer'))).map(aclLine)).toEqual([
      'User:tx|ALLOW|*|WRITE|TOPIC|LITERAL|ledger',
      'User:tx|ALLOW|*|DESCRIBE|TOPIC|LITERAL|ledger',
      'User:tx|ALLOW|*|WRITE|TRANSACTIONAL_ID|LITERAL|ledger-writer',
      'User:tx|ALLOW|*|DESCRIBE|TRANSACTIONAL_ID|LITERAL|ledger-writer',
    ]);
  });

  test('custom rules keep deny, host and multi-word operations in Kafka spelling', () => {
    const custom = grant({ bundle: 'custom', resourceType: 'topic', name: 'secret', operations: ['DescribeConfigs', 'Read'], permission: 'deny', host: '10.0.0.1' });
    expect(expandGrant('x', custom).map(aclLine)).toEqual(['User:x|DENY|10.0.0.1|DESCRIBE_CONFIGS|TOPIC|LITERAL|secret', 'User:x|DENY|10.0.0.1|READ|TOPIC|LITERAL|secret']);
  });

  test('lines round-trip', () => {
    const line = 'User:a|ALLOW|*|IDEMPOTENT_WRITE|CLUSTER|LITERAL|kafka-cluster';
    expect(aclLine(parseAclLine(line))).toBe(line);
  });
});

describe('desired ACLs and ownership of an environment', () => {
  const spec = resolved(aProdSpecWithUsers());

  test('kafka-exporter gets Describe only (topics, groups, cluster), nothing to read or change', () => {
    const exporter = desiredAcls(spec).filter((acl) => acl.principal === 'User:kafka-exporter');
    expect(exporter.map(aclLine).sort()).toEqual([
      'User:kafka-exporter|ALLOW|*|DESCRIBE|CLUSTER|LITERAL|kafka-cluster',
      'User:kafka-exporter|ALLOW|*|DESCRIBE|GROUP|LITERAL|*',
      'User:kafka-exporter|ALLOW|*|DESCRIBE|TOPIC|LITERAL|*',
    ]);
  });

  test('desired ACLs are sorted and unique', () => {
    const lines = desiredAcls(spec).map(aclLine);
    expect(lines).toEqual([...new Set(lines)].sort());
    expect(lines).toContain('User:billing|ALLOW|*|WRITE|TRANSACTIONAL_ID|PREFIXED|billing-');
  });

  test('owned principals: managed and retired users, never the node identities', () => {
    const owned = ownedPrincipals(resolved(aProdSpecWithUsers({ retiredUsers: ['legacy'] })));
    expect(owned).toEqual(['User:admin', 'User:billing', 'User:kafka-exporter', 'User:legacy', 'User:orders']);
    expect(owned).not.toContain('User:kafka-broker');
  });
});

describe('planAcls', () => {
  const owned = ['User:orders', 'User:retired'];
  const write = entry('User:orders', 'WRITE', 'TOPIC', 'orders');
  const describe_ = entry('User:orders', 'DESCRIBE', 'TOPIC', 'orders');

  test('adds what is missing and nothing that exists', () => {
    expect(planAcls([write, describe_], [write], owned)).toEqual({ add: [describe_], remove: [] });
  });

  test('removes ACLs of owned principals that left the spec', () => {
    const stale = entry('User:orders', 'READ', 'TOPIC', 'old-topic');
    const retired = entry('User:retired', 'READ', 'GROUP', 'x');
    expect(planAcls([write], [write, stale, retired], owned)).toEqual({ add: [], remove: [stale, retired] });
  });

  test('never removes ACLs of principals it does not own', () => {
    const foreign = [entry('User:someone-else', 'ALL', 'TOPIC', '*'), entry('User:kafka-broker', 'CLUSTER_ACTION', 'CLUSTER', 'kafka-cluster')];
    expect(planAcls([], foreign, owned)).toEqual({ add: [], remove: [] });
  });

  test('an owned principal is matched exactly, not by prefix', () => {
    const lookalike = entry('User:orders-v2', 'READ', 'TOPIC', 'x');
    expect(planAcls([], [lookalike], owned).remove).toEqual([]);
  });

  test('is idempotent: applying the plan yields an empty plan', () => {
    const current = [entry('User:orders', 'READ', 'TOPIC', 'gone'), entry('User:other', 'READ', 'TOPIC', 'kept')];
    const desired = [write, describe_];
    const plan = planAcls(desired, current, owned);
    const removed = new Set(plan.remove.map(aclLine));
    const after = [...current.filter((acl) => !removed.has(aclLine(acl))), ...plan.add];
    expect(planAcls(desired, after, owned)).toEqual({ add: [], remove: [] });
    expect(after.map(aclLine)).toContain('User:other|ALLOW|*|READ|TOPIC|LITERAL|kept');
  });
});
