import { ADMIN_USER } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import type { Problem } from './problems';
import { CLUSTER_RESOURCE_NAME } from '../security/acl-plan';
import { KAFKA_EXPORTER_USER, kafkaExporterEnabled, reservedUserNames, scramUsers, usesScram } from '../security/users';

/** Cross-field rules of `security`: users, their secrets, ACL principals, certificate lifetimes, network peers. */
export function securityProblems(spec: ResolvedSpec): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, value: unknown, message: string) => problems.push({ environment: spec.name, path, value, message });
  const { users, acls, certificates, retiredUsers, network } = spec.security;
  const scram = usesScram(spec);
  const reserved = reservedUserNames(spec);

  for (const [name, user] of Object.entries(users)) {
    const path = `security.users.${name}`;
    if (reserved.includes(name)) report(path, name, `is reserved (${reserved.join(', ')} are built in or node identities)`);
    if (scram && user.password === undefined) {
      report(
        `${path}.password`,
        undefined,
        "SCRAM users need a secret reference: 'generated' (AWS Secrets Manager generates it) or { awsSecret: '<name or ARN>' }",
      );
    }
    if (!scram && user.password !== undefined) {
      report(
        `${path}.password`,
        user.password,
        `applies only to SCRAM users, but kafka.listeners.client.authentication is "${spec.kafka.listeners.client.authentication}"`,
      );
    }
  }

  const known = [...Object.keys(users), ...(kafkaExporterEnabled(spec) ? [KAFKA_EXPORTER_USER] : [])].sort();
  for (const [principal, grants] of Object.entries(acls)) {
    const path = `security.acls.${principal}`;
    if (principal === ADMIN_USER) {
      report(path, principal, `is a super user; ACLs on it have no effect`);
    } else if (!known.includes(principal)) {
      report(path, principal, `is not a known principal: declare it in security.users (known: ${known.join(', ') || 'none'})`);
    }
    grants.forEach((grant, index) => {
      if (grant.bundle === 'custom' && grant.resourceType === 'cluster' && grant.name !== CLUSTER_RESOURCE_NAME) {
        report(`${path}[${index}].name`, grant.name, `must be "${CLUSTER_RESOURCE_NAME}" for the cluster resource`);
      }
      if (grant.bundle === 'custom' && grant.resourceType === 'cluster' && grant.patternType === 'prefixed') {
        report(`${path}[${index}].patternType`, 'prefixed', 'must be "literal" for the cluster resource');
      }
      if (grant.patternType === 'prefixed' && Object.values(grant).includes('*')) {
        report(`${path}[${index}]`, grant, '"*" is a literal wildcard; a prefixed pattern of "*" matches only names starting with "*"');
      }
    });
  }

  retiredUsers.forEach((name, index) => {
    if (name in users) report(`security.retiredUsers[${index}]`, name, 'is still declared in security.users: remove it there or from here');
    if (reserved.includes(name)) report(`security.retiredUsers[${index}]`, name, 'is a built-in user and cannot be retired');
  });

  const { durationHours, renewBeforeHours, authority } = certificates;
  if (renewBeforeHours >= durationHours) {
    report(
      'security.certificates.renewBeforeHours',
      renewBeforeHours,
      `must be shorter than security.certificates.durationHours (${durationHours}): the certificate would be renewed forever`,
    );
  }
  if (authority.mode === 'self-signed' && authority.durationHours <= durationHours) {
    report(
      'security.certificates.authority.durationHours',
      authority.durationHours,
      `must exceed security.certificates.durationHours (${durationHours}): the CA must outlive the certificates it signs`,
    );
  }

  if (spec.runtime.kind === 'kubernetes' && authority.mode === 'self-signed' && certificates.trustNamespace !== undefined && certificates.trustNamespace !== spec.runtime.namespace) {
    report(
      'security.certificates.trustNamespace',
      certificates.trustNamespace,
      `must be the Kafka namespace "${spec.runtime.namespace}" (or be left out): the cluster CA lives there, because node and admin certificates come from an Issuer in that namespace, and trust-manager publishes only Secrets of its trust namespace`,
    );
  }

  network.clients.forEach((peer, index) => {
    if (peer.namespace === undefined && peer.namespaceLabels === undefined) {
      report(`security.network.clients[${index}]`, peer, 'must name a namespace or namespaceLabels (pods of the Kafka namespace itself are not clients)');
    }
  });
  for (const key of ['prometheus', 'dns'] as const) {
    const peer = network[key];
    if (peer.namespace === undefined && peer.namespaceLabels === undefined) {
      report(`security.network.${key}`, peer, 'must name a namespace or namespaceLabels');
    }
  }
  productionIsolationProblems(spec, report);
  return problems;
}

/**
 * What production must not share with anyone: its secrets' reader identity, its certificate authority, and (on VMs,
 * which hold the CA key or the admin password) a way out to the internet.
 */
function productionIsolationProblems(spec: ResolvedSpec, report: (path: string, value: unknown, message: string) => void): void {
  const { externalSecrets, certificates } = spec.security;
  const kubernetes = spec.runtime.kind === 'kubernetes';
  if (externalSecrets.createRole) {
    if (!externalSecrets.serviceAccountRoleArn) {
      report('security.externalSecrets.createRole', true, 'needs security.externalSecrets.serviceAccountRoleArn: the ARN names the role <env>-nodes creates');
    }
    if (!kubernetes || !spec.aws.eks) {
      report('security.externalSecrets.createRole', true, 'needs runtime.kind "kubernetes" with aws.eks: the <env>-nodes stack creates the role from the EKS cluster\'s OIDC provider');
    }
  }
  if (spec.tier !== 'production') return;
  if (kubernetes && scramUsers(spec).length > 0 && !externalSecrets.serviceAccountRoleArn) {
    report(
      'security.externalSecrets.serviceAccountRoleArn',
      undefined,
      "is required in production: without it the SecretStore uses the External Secrets controller's own identity, so any namespace allowed to create a SecretStore could read the admin password; name an IRSA role (createRole: true has <env>-nodes create it)",
    );
  }
  if (kubernetes && certificates.authority.mode === 'issuer' && certificates.authority.kind === 'ClusterIssuer') {
    report(
      'security.certificates.authority.kind',
      'ClusterIssuer',
      'must be "Issuer" in production: whoever can create a Certificate in any namespace could obtain a node or admin identity from a ClusterIssuer',
    );
  }
  if (spec.runtime.kind === 'vm') {
    if (!spec.runtime.artifactMirror) {
      report(
        'runtime.artifactMirror',
        undefined,
        'is required for production VMs: they hold the CA key or the admin password, so they install Kafka from an S3 mirror and get no internet egress',
      );
    }
    if (spec.aws.egress === 'nat') {
      report('aws.egress', 'nat', 'must be "none" for production VMs: nodes holding the CA key or the admin password get no route to the internet (use runtime.artifactMirror)');
    }
  }
}
