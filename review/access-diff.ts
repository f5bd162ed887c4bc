import { type EnvironmentOutput, type KubernetesObject, differingObjects } from './synth-root';

/**
 * Who may do what in the cluster, as the output declares it: SCRAM users (a Secrets Manager secret
 * `.../users/<name>` per user, and on Kubernetes an ExternalSecret labelled with the user) and the ACLs the
 * reconcile job applies (`acls.desired` of the reconcile-plan ConfigMap, one `principal|permission|host|operation|
 * resource type|pattern|name` line each). Topics and quotas join here once the spec declares them.
 */

export interface AccessChanges {
  readonly usersAdded: readonly string[];
  readonly usersRemoved: readonly string[];
  readonly aclsAdded: readonly string[];
  readonly aclsRemoved: readonly string[];
  /** Principals whose ACLs the reconcile job owns (and would delete ACLs of when they leave the spec). */
  readonly ownedPrincipalsAdded: readonly string[];
  readonly ownedPrincipalsRemoved: readonly string[];
}

const USER_LABEL = 'kafka-typed-infra.io/user';
const USER_SECRET = /\/users\/([^/]+)$/;

/**
 * Users declared by the Terraform secrets and by the given Kubernetes objects. The review passes the objects that
 * differ between base and head: identical ones declare the same users on both sides.
 */
export function declaredUsers(output: EnvironmentOutput | undefined, objects: readonly KubernetesObject[]): Set<string> {
  const users = new Set<string>();
  if (!output) return users;
  for (const document of output.stacks.values()) {
    for (const secret of Object.values<Record<string, any>>(document.resource?.aws_secretsmanager_secret ?? {})) {
      const match = typeof secret.name === 'string' ? USER_SECRET.exec(secret.name) : null;
      if (match) users.add(match[1]);
    }
  }
  for (const { body } of objects) {
    const user = body.kind === 'ExternalSecret' ? body.metadata?.labels?.[USER_LABEL] : undefined;
    if (typeof user === 'string') users.add(user);
  }
  return users;
}

function reconcilePlan(objects: readonly KubernetesObject[]): { acls: Set<string>; owned: Set<string> } {
  const acls = new Set<string>();
  const owned = new Set<string>();
  for (const { body } of objects) {
    if (body.kind !== 'ConfigMap' || body.metadata?.labels?.['app.kubernetes.io/component'] !== 'acl-reconciler') continue;
    const lines = (text: unknown) => (typeof text === 'string' ? text.split('\n').map((line) => line.trim()).filter((line) => line !== '') : []);
    for (const line of lines(body.data?.['acls.desired'])) acls.add(line);
    for (const line of lines(body.data?.['principals.owned'])) owned.add(line);
  }
  return { acls, owned };
}

const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].filter((item) => !b.has(item)).sort();

export function diffAccess(base: EnvironmentOutput | undefined, head: EnvironmentOutput | undefined): AccessChanges {
  const objects = differingObjects(base, head);
  const [oldUsers, newUsers] = [declaredUsers(base, objects.base), declaredUsers(head, objects.head)];
  const [oldPlan, newPlan] = [reconcilePlan(objects.base), reconcilePlan(objects.head)];
  return {
    usersAdded: minus(newUsers, oldUsers),
    usersRemoved: minus(oldUsers, newUsers),
    aclsAdded: minus(newPlan.acls, oldPlan.acls),
    aclsRemoved: minus(oldPlan.acls, newPlan.acls),
    ownedPrincipalsAdded: minus(newPlan.owned, oldPlan.owned),
    ownedPrincipalsRemoved: minus(oldPlan.owned, newPlan.owned),
  };
}

export function hasAccessChanges(changes: AccessChanges): boolean {
  return Object.values(changes).some((list) => list.length > 0);
}

/** `User:orders|ALLOW|*|WRITE|TOPIC|LITERAL|orders` → `User:orders ALLOW WRITE on TOPIC orders (LITERAL, host *)`. */
export function describeAcl(line: string): string {
  const [principal, permission, host, operation, resourceType, pattern, name] = line.split('|');
  if (name === undefined) return line;
  return `${principal} ${permission} ${operation} on ${resourceType} ${name} (${pattern}${host === '*' ? '' : `, host ${host}`})`;
}
