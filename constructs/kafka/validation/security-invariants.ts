import { ADMIN_USER } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import type { Problem } from './problems';
import { CLUSTER_RESOURCE_NAME } from '../security/acl-plan';
import { KAFKA_EXPORTER_USER, kafkaExporterEnabled, reservedUserNames, usesScram } from '../security/users';

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
  return problems;
}
