import type { ResolvedSpec } from '../spec/environment-spec';
import { grantsByUser, kafkaUsers } from './users';
import type { AclGrant, AclOperation, AclResourceType } from '../spec/security';

/**
 * ACLs as code. The spec's grants expand into single Kafka ACL entries; the planner compares them with what the
 * cluster holds and returns what to add and what to remove.
 *
 * Ownership: Kafka ACLs carry no labels, so ownership is recorded by principal. This project owns every ACL whose
 * principal is a user it manages (the users of `kafkaUsers`: admin, kafka-exporter, `security.users`) or a user it
 * retired (`security.retiredUsers`). ACLs of any other principal (the nodes' certificate identities, users made by
 * hand or by another tool) are never removed, whatever the spec says. The reconcile job runs the same rules in shell
 * (`security-reconcile-script.ts`); a test runs both on the same inputs.
 */

/** One Kafka ACL, with every field spelt the way `kafka-acls.sh --list` prints it. */
export interface AclEntry {
  /** Whom the ACL is for, e.g. `User:orders-app`. */
  readonly principal: string;
  /** Whether the ACL allows or denies; a DENY wins over every ALLOW. */
  readonly permission: 'ALLOW' | 'DENY';
  /** Client host the ACL applies to: `*` or one IP address. */
  readonly host: string;
  /** Kafka's enum name, e.g. `DESCRIBE_CONFIGS`. */
  readonly operation: string;
  /** Kind of resource the ACL is on. */
  readonly resourceType: 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID' | 'CLUSTER';
  /** `LITERAL`: `name` is the resource's name (or `*`); `PREFIXED`: every resource whose name starts with it. */
  readonly patternType: 'LITERAL' | 'PREFIXED';
  /** Resource name or prefix; `kafka-cluster` for the cluster. */
  readonly name: string;
}

/** What the reconcile changes in the cluster's ACLs: entries to add and entries to remove. */
export interface AclPlan {
  /** Entries the spec wants and the cluster lacks. */
  readonly add: readonly AclEntry[];
  /** Entries of owned principals the spec no longer wants. */
  readonly remove: readonly AclEntry[];
}

/** The one line format the plan ConfigMap and the reconcile script share: fields joined by `|`. */
export function aclLine(entry: AclEntry): string {
  const fields = [entry.principal, entry.permission, entry.host, entry.operation, entry.resourceType, entry.patternType, entry.name];
  // The reconcile job reads the plan line by line and splits on "|": a field with either would forge an entry. The
  // schema rejects such values; this is the last line of defence at the sink.
  if (fields.some((field, index) => /[\r\n]/.test(field) || (index < fields.length - 1 && field.includes('|')))) {
    throw new Error(`ACL entry ${JSON.stringify(entry)} has a field with a line break or "|", which the plan file cannot carry`);
  }
  return fields.join('|');
}

/** The entry of a plan line written by {@link aclLine} (the name keeps any `|` after the sixth field). */
export function parseAclLine(line: string): AclEntry {
  const [principal, permission, host, operation, resourceType, patternType, ...name] = line.split('|');
  return {
    principal,
    permission: permission as AclEntry['permission'],
    host,
    operation,
    resourceType: resourceType as AclEntry['resourceType'],
    patternType: patternType as AclEntry['patternType'],
    name: name.join('|'),
  };
}

/** `DescribeConfigs` → `DESCRIBE_CONFIGS`, Kafka's enum spelling. */
export function operationEnumName(operation: AclOperation): string {
  return operation.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

const RESOURCE_TYPE: Record<AclResourceType, AclEntry['resourceType']> = {
  topic: 'TOPIC',
  group: 'GROUP',
  'transactional-id': 'TRANSACTIONAL_ID',
  cluster: 'CLUSTER',
};

/** The cluster resource has exactly one name. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

interface Rule {
  readonly resourceType: AclResourceType;
  readonly name: string;
  readonly operations: readonly AclOperation[];
}

/**
 * What each bundle means. Producers need Write and Describe on the topic (Write implies IdempotentWrite since
 * KIP-679); consumers Read and Describe on the topic and Read on the group; transactional producers additionally
 * Write and Describe on their transactional id.
 */
function bundleRules(grant: AclGrant): Rule[] {
  switch (grant.bundle) {
    case 'producer':
      return [{ resourceType: 'topic', name: grant.topic, operations: ['Write', 'Describe'] }];
    case 'consumer':
      return [
        { resourceType: 'topic', name: grant.topic, operations: ['Read', 'Describe'] },
        { resourceType: 'group', name: grant.group, operations: ['Read'] },
      ];
    case 'transactional-producer':
      return [
        { resourceType: 'topic', name: grant.topic, operations: ['Write', 'Describe'] },
        { resourceType: 'transactional-id', name: grant.transactionalId, operations: ['Write', 'Describe'] },
      ];
    case 'custom':
      return [{ resourceType: grant.resourceType, name: grant.name, operations: grant.operations }];
  }
}

/** The ACL entries one grant of `user` stands for. */
export function expandGrant(user: string, grant: AclGrant): AclEntry[] {
  const permission = grant.bundle === 'custom' && grant.permission === 'deny' ? 'DENY' : 'ALLOW';
  const host = grant.bundle === 'custom' ? grant.host : '*';
  return bundleRules(grant).flatMap((rule) =>
    rule.operations.map((operation) => ({
      principal: `User:${user}`,
      permission,
      host,
      operation: operationEnumName(operation),
      resourceType: RESOURCE_TYPE[rule.resourceType],
      // The cluster resource only exists as a literal.
      patternType: rule.resourceType === 'cluster' || grant.patternType === 'literal' ? 'LITERAL' : 'PREFIXED',
      name: rule.resourceType === 'cluster' ? CLUSTER_RESOURCE_NAME : rule.name,
    })),
  );
}

function sortedUnique(entries: readonly AclEntry[]): AclEntry[] {
  const byLine = new Map(entries.map((entry) => [aclLine(entry), entry]));
  return [...byLine.keys()].sort().map((line) => byLine.get(line) as AclEntry);
}

/** Every ACL the spec asks for, deduplicated and sorted. */
export function desiredAcls(spec: ResolvedSpec): AclEntry[] {
  return sortedUnique(Object.entries(grantsByUser(spec)).flatMap(([user, grants]) => grants.flatMap((grant) => expandGrant(user, grant))));
}

/** Principals whose ACLs the reconcile job may remove: managed users and retired ones. */
export function ownedPrincipals(spec: ResolvedSpec): string[] {
  const names = new Set([...kafkaUsers(spec).map((user) => user.name), ...spec.security.retiredUsers]);
  return [...names].sort().map((name) => `User:${name}`);
}

/**
 * The pure planner: adds what the spec wants and the cluster lacks; removes what the cluster holds for an owned
 * principal and the spec no longer wants. Entries of principals outside `owned` are never removed.
 */
export function planAcls(desired: readonly AclEntry[], current: readonly AclEntry[], owned: readonly string[]): AclPlan {
  const have = new Set(current.map(aclLine));
  const want = new Set(desired.map(aclLine));
  const ownedSet = new Set(owned);
  return {
    add: sortedUnique(desired.filter((entry) => !have.has(aclLine(entry)))),
    remove: sortedUnique(current.filter((entry) => ownedSet.has(entry.principal) && !want.has(aclLine(entry)))),
  };
}
