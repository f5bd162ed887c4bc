import { ADMIN_USER, rolePrincipalName } from './cluster-model';
import type { ResolvedSpec } from './environment-spec';
import { awsSecretName, userCredentialsSecretName } from './secret-names';
import type { AclGrant, PasswordSource } from './spec/security';

/** The consumer-lag exporter's user (monitoring); exists whenever monitoring is enabled. */
export const KAFKA_EXPORTER_USER = 'kafka-exporter';

/** Names no application user may take: built-in users and the nodes' own certificate principals. */
export function reservedUserNames(spec: ResolvedSpec): string[] {
  return [ADMIN_USER, KAFKA_EXPORTER_USER, rolePrincipalName(spec, 'broker'), rolePrincipalName(spec, 'controller')];
}

/** One Kafka user the platform manages, with where its password lives. */
export interface KafkaUser {
  readonly name: string;
  /** `User:<name>`, as Kafka's authoriser sees it. */
  readonly principal: string;
  /** Built-in users exist in every environment and are not declared in `security.users`. */
  readonly builtIn: boolean;
  /** How the client authenticates: a SCRAM password, or a certificate whose CN is the name. */
  readonly authentication: 'scram-sha-512' | 'mtls';
  /** Secrets Manager secret holding the SCRAM password; undefined for mTLS users. */
  readonly awsSecret?: string;
  /** Whether `<env>-secrets` creates that secret (with a password AWS generates) or it exists already. */
  readonly generatedByUs: boolean;
  /** Kubernetes Secret External Secrets writes the password to (key `password`); undefined for mTLS users. */
  readonly kubernetesSecret?: string;
}

/** Whether application users authenticate with SCRAM passwords (else with client certificates). */
export function usesScram(spec: ResolvedSpec): boolean {
  return spec.kafka.listeners.client.authentication === 'scram-sha-512';
}

function scramUser(spec: ResolvedSpec, name: string, builtIn: boolean, source: PasswordSource): KafkaUser {
  const existing = typeof source === 'object';
  return {
    name,
    principal: `User:${name}`,
    builtIn,
    authentication: 'scram-sha-512',
    awsSecret: existing ? source.awsSecret : awsSecretName(spec, 'users', name),
    generatedByUs: !existing,
    kubernetesSecret: userCredentialsSecretName(spec, name),
  };
}

/**
 * Every user of the cluster, sorted by name. `admin` always has a SCRAM password: it is created at storage format
 * time and is what the reconcile job acts as. Application users follow the client listener's authentication.
 */
export function kafkaUsers(spec: ResolvedSpec): KafkaUser[] {
  const users: KafkaUser[] = [scramUser(spec, ADMIN_USER, true, 'generated')];
  const scram = usesScram(spec);
  const declared: [string, PasswordSource | undefined][] = Object.entries(spec.security.users).map(([name, user]) => [name, user.password]);
  if (spec.monitoring.enabled) declared.push([KAFKA_EXPORTER_USER, 'generated']);
  for (const [name, password] of declared) {
    const builtIn = name === KAFKA_EXPORTER_USER;
    if (scram) users.push(scramUser(spec, name, builtIn, password ?? 'generated'));
    else users.push({ name, principal: `User:${name}`, builtIn, authentication: 'mtls', generatedByUs: false });
  }
  return users.sort((a, b) => a.name.localeCompare(b.name));
}

/** Users whose password AWS Secrets Manager must hold, i.e. every SCRAM user. */
export function scramUsers(spec: ResolvedSpec): KafkaUser[] {
  return kafkaUsers(spec).filter((user) => user.authentication === 'scram-sha-512');
}

/**
 * The kafka-exporter (danielqsj/kafka_exporter) lists topics and their offsets, and describes consumer groups and
 * their committed offsets: Describe on every topic and group, and Describe on the cluster to list groups.
 * Nothing it could use to read messages or change anything.
 */
export function kafkaExporterGrants(): AclGrant[] {
  return [
    { bundle: 'custom', resourceType: 'topic', name: '*', patternType: 'literal', operations: ['Describe'], permission: 'allow', host: '*' },
    { bundle: 'custom', resourceType: 'group', name: '*', patternType: 'literal', operations: ['Describe'], permission: 'allow', host: '*' },
    { bundle: 'custom', resourceType: 'cluster', name: 'kafka-cluster', patternType: 'literal', operations: ['Describe'], permission: 'allow', host: '*' },
  ];
}

/** The ACL grants of every principal, built-ins included, keyed by user name. */
export function grantsByUser(spec: ResolvedSpec): Record<string, AclGrant[]> {
  const grants: Record<string, AclGrant[]> = {};
  if (spec.monitoring.enabled) grants[KAFKA_EXPORTER_USER] = kafkaExporterGrants();
  for (const [principal, list] of Object.entries(spec.security.acls)) {
    grants[principal] = [...(grants[principal] ?? []), ...list];
  }
  return grants;
}
