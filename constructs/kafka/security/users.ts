import { ADMIN_USER, rolePrincipalName } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import { awsSecretName, userCredentialsSecretName } from '../model/names';
import type { AclGrant, PasswordSource } from '../spec/security';

/** The consumer-lag exporter's user (monitoring); exists whenever monitoring is enabled. */
export const KAFKA_EXPORTER_USER = 'kafka-exporter';

/** Names no application user may take: built-in users and the nodes' own certificate principals. */
export function reservedUserNames(spec: ResolvedSpec): string[] {
  return [ADMIN_USER, KAFKA_EXPORTER_USER, rolePrincipalName(spec, 'broker'), rolePrincipalName(spec, 'controller')];
}

/** One Kafka user the platform manages, with where its password lives. */
export interface KafkaUser {
  /** User name: `admin`, `kafka-exporter`, or a key of `security.users`. */
  readonly name: string;
  /** `User:<name>`, as Kafka's authoriser sees it. */
  readonly principal: string;
  /** Built-in users exist in every environment and are not declared in `security.users`. */
  readonly builtIn: boolean;
  /** How the client authenticates: a SCRAM password, a certificate whose CN is the name, or not at all (dev). */
  readonly authentication: 'scram-sha-512' | 'mtls' | 'none';
  /** Secrets Manager secret holding the SCRAM password. @default - none: an mTLS user has no password */
  readonly awsSecret?: string;
  /** Whether `<env>-secrets` creates that secret (with a password AWS generates) or it exists already. */
  readonly generatedByUs: boolean;
  /** JSON key of the password inside an existing secret. @default - none: the secret is the password itself */
  readonly awsSecretJsonKey?: string;
  /** Version of a generated password; a new version makes AWS generate a new one. */
  readonly passwordVersion: number;
  /** Kubernetes Secret External Secrets writes the password to (key `password`). @default - none: an mTLS user has no password */
  readonly kubernetesSecret?: string;
}

/** The ServiceAccount the SecretStore authenticates as (IRSA); no pod runs as it. */
export function externalSecretsServiceAccountName(spec: ResolvedSpec): string {
  return `${spec.kafka.clusterName}-secrets-reader`;
}

/** Whether the consumer-lag exporter and its user exist. */
export function kafkaExporterEnabled(spec: ResolvedSpec): boolean {
  return spec.monitoring.enabled && spec.monitoring.kafkaExporter.enabled;
}

/** Whether application users authenticate with SCRAM passwords (else with client certificates). */
export function usesScram(spec: ResolvedSpec): boolean {
  return spec.kafka.listeners.client.authentication === 'scram-sha-512';
}

function scramUser(spec: ResolvedSpec, name: string, builtIn: boolean, source: PasswordSource, passwordVersion = 1): KafkaUser {
  const existing = typeof source === 'object';
  return {
    passwordVersion,
    ...(existing && source.jsonKey !== undefined ? { awsSecretJsonKey: source.jsonKey } : {}),
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
 * Every user of the cluster, sorted by name. All follow the client listener's authentication: with SCRAM, `admin`
 * is created at storage format time from its Secret; with mutual TLS it is the CN of a client certificate.
 */
export function kafkaUsers(spec: ResolvedSpec): KafkaUser[] {
  const scram = usesScram(spec);
  const authentication = spec.kafka.listeners.client.authentication;
  const admin: KafkaUser = scram
    ? scramUser(spec, ADMIN_USER, true, 'generated')
    : { name: ADMIN_USER, principal: `User:${ADMIN_USER}`, builtIn: true, authentication, generatedByUs: false, passwordVersion: 1 };
  const users: KafkaUser[] = [admin];
  const declared: [string, PasswordSource | undefined, number][] = Object.entries(spec.security.users).map(([name, user]) => [
    name,
    user.password,
    user.passwordVersion,
  ]);
  if (kafkaExporterEnabled(spec)) declared.push([KAFKA_EXPORTER_USER, 'generated', 1]);
  for (const [name, password, version] of declared) {
    const builtIn = name === KAFKA_EXPORTER_USER;
    if (scram) users.push(scramUser(spec, name, builtIn, password ?? 'generated', version));
    else users.push({ name, principal: `User:${name}`, builtIn, authentication, generatedByUs: false, passwordVersion: version });
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
  if (kafkaExporterEnabled(spec)) grants[KAFKA_EXPORTER_USER] = kafkaExporterGrants();
  for (const [principal, list] of Object.entries(spec.security.acls)) {
    grants[principal] = [...(grants[principal] ?? []), ...list];
  }
  return grants;
}
