import { type ClusterModel, rolePrincipalName } from '../model/cluster-model';
import type { KubernetesRuntime, ResolvedSpec } from '../spec/environment-spec';
import { bootstrapServiceName, tlsSecretName } from '../model/names';
import type { NodeRole } from '../model/sizing';

/**
 * Names, subjects and SANs of the certificates cert-manager issues on Kubernetes, decided without cdk8s so tests
 * can compare them with the cluster model (every advertised host must be covered).
 */

function kubernetes(spec: ResolvedSpec): KubernetesRuntime {
  if (spec.runtime.kind !== 'kubernetes') throw new Error(`${spec.name} runs on ${spec.runtime.kind}: cert-manager objects are Kubernetes-only`);
  return spec.runtime;
}

/** Cluster-scoped objects (Bundles) carry namespace and cluster, so two clusters never collide. */
export function clusterScopedPrefix(spec: ResolvedSpec): string {
  return `${kubernetes(spec).namespace}-${spec.kafka.clusterName}`;
}

/** A cert-manager issuer, as a Certificate's `issuerRef` names it. */
export interface IssuerRef {
  /** `Issuer` (namespaced, in the Kafka namespace) or `ClusterIssuer`. */
  readonly kind: 'Issuer' | 'ClusterIssuer';
  /** Name of the issuer. */
  readonly name: string;
}

/**
 * The self-signed bootstrap issuer, the cluster CA certificate and its Secret, and the CA issuer it backs: all in the
 * Kafka namespace, so only who may create Certificates there can obtain a node or admin identity.
 */
export function selfSignedChainNames(spec: ResolvedSpec): { bootstrapIssuer: string; caCertificate: string; caSecret: string; caIssuer: string } {
  kubernetes(spec);
  const cluster = spec.kafka.clusterName;
  return { bootstrapIssuer: `${cluster}-selfsigned`, caCertificate: `${cluster}-ca`, caSecret: `${cluster}-ca`, caIssuer: `${cluster}-ca` };
}

/** The issuer that signs node and admin certificates: the generated cluster CA, or the one the spec brings. */
export function nodeIssuer(spec: ResolvedSpec): IssuerRef {
  const authority = spec.security.certificates.authority;
  if (authority.mode === 'issuer') return { kind: authority.kind, name: authority.name };
  return { kind: 'Issuer', name: selfSignedChainNames(spec).caIssuer };
}

/**
 * trust-manager's trust namespace, where the Bundle's source Secret must be: the Kafka namespace unless the spec names
 * another (a bring-your-own CA's certificate Secret may live elsewhere).
 */
export function trustNamespace(spec: ResolvedSpec): string {
  return spec.security.certificates.trustNamespace ?? kubernetes(spec).namespace;
}

/** The Secret (in the trust namespace) holding the CA certificate to publish, if there is one. */
export function caSourceSecret(spec: ResolvedSpec): string | undefined {
  const authority = spec.security.certificates.authority;
  return authority.mode === 'issuer' ? authority.caSecretName : selfSignedChainNames(spec).caSecret;
}

/** Whether application clients authenticate with certificates on a listener (client or external). */
export function usesClientCertificates(model: ClusterModel): boolean {
  return model.listeners.some((listener) => (listener.key === 'client' || listener.key === 'external') && listener.authentication === 'mtls');
}

/**
 * The client CA: its own key, in the Kafka namespace, signed by the cluster CA so brokers verify client chains with the
 * trust they already have. It signs only the certificates of the spec's users, never a node's or the admin's.
 */
export function clientCaNames(spec: ResolvedSpec): { caCertificate: string; caSecret: string; caIssuer: string } {
  kubernetes(spec);
  const cluster = spec.kafka.clusterName;
  return { caCertificate: `${cluster}-clients-ca`, caSecret: `${cluster}-clients-ca`, caIssuer: `${cluster}-clients-ca` };
}

/** The issuer of application client certificates: the client CA, or with a bring-your-own CA that issuer itself. */
export function clientIssuer(spec: ResolvedSpec): IssuerRef {
  const authority = spec.security.certificates.authority;
  if (authority.mode === 'issuer') return { kind: authority.kind, name: authority.name };
  return { kind: 'Issuer', name: clientCaNames(spec).caIssuer };
}

/** The cert-manager Certificate of one application user on a mutual-TLS client listener. */
export interface ClientCertificatePlan {
  /** Certificate object name, `<cluster>-user-<user>`. */
  readonly name: string;
  /** The user (a key of `security.users`). */
  readonly user: string;
  /** = the user name, which `ssl.principal.mapping.rules` turns into `User:<user>`. */
  readonly commonName: string;
  /** Secret cert-manager writes (tls.crt with the chain, tls.key as PKCS#8, ca.crt), `<cluster>-user-<user>-tls`. */
  readonly secretName: string;
  /** The client CA's Issuer, which signs only the spec's users. */
  readonly issuer: IssuerRef;
  /** Lifetime of the certificate in hours: `security.certificates.durationHours`. */
  readonly durationHours: number;
  /** Hours before expiry cert-manager renews it: `security.certificates.renewBeforeHours`. */
  readonly renewBeforeHours: number;
}

/**
 * One client certificate per declared mTLS user. Only the spec's users get one, and validation keeps their names apart
 * from node and admin principals; the check here refuses a plan that would mint one anyway.
 */
export function clientCertificates(model: ClusterModel): ClientCertificatePlan[] {
  const { spec } = model;
  if (!usesClientCertificates(model)) return [];
  const privileged = new Set(model.superUsers.map((principal) => principal.replace(/^User:/, '')));
  const { durationHours, renewBeforeHours } = spec.security.certificates;
  return Object.keys(spec.security.users)
    .sort()
    .map((user) => {
      if (privileged.has(user)) throw new Error(`${spec.name}: user ${user} would get a client certificate for the super user principal User:${user}`);
      return {
        name: `${spec.kafka.clusterName}-user-${user}`,
        user,
        commonName: user,
        secretName: `${spec.kafka.clusterName}-user-${user}-tls`,
        issuer: clientIssuer(spec),
        durationHours,
        renewBeforeHours,
      };
    });
}

/** trust-manager Bundle name = the ConfigMap (key `ca.crt`) applications mount to trust the cluster. */
export function caBundleName(spec: ResolvedSpec): string {
  return `${clusterScopedPrefix(spec)}-ca`;
}

/** The StatefulSet (= headless Service) names of a role: one controller group, one broker group per zone. */
function groupsOf(model: ClusterModel, role: NodeRole): string[] {
  return [...new Set(model.nodes.filter((node) => node.role === role).map((node) => node.group))];
}

/**
 * DNS names of a role's certificate: a wildcard per headless Service, in the `.svc` and the fully qualified form
 * (covers every pod, including ones added by scaling out), plus for brokers the bootstrap Service and the spec's
 * extra names. Sorted, so the output is stable.
 */
export function certificateDnsNames(model: ClusterModel, role: NodeRole): string[] {
  const { spec } = model;
  const { namespace, clusterDomain } = kubernetes(spec);
  const serviceNames = (service: string) => [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.${clusterDomain}`];
  const names = groupsOf(model, role).flatMap((group) => serviceNames(group).map((name) => `*.${name}`));
  if (role === 'broker') {
    names.push(...serviceNames(bootstrapServiceName(spec)), ...spec.security.certificates.extraDnsNames);
  }
  return [...new Set(names)].sort();
}

/** Whether `host` is covered by a SAN, with RFC 6125 wildcard rules: `*` stands for exactly one left-most label. */
export function sanCovers(san: string, host: string): boolean {
  if (!san.startsWith('*.')) return san === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === san.slice(2);
}

/** The cert-manager Certificate every node of one role presents, as server and as client of its peers. */
export interface NodeCertificatePlan {
  /** Certificate object name. */
  readonly name: string;
  /** The role whose nodes share the certificate. */
  readonly role: NodeRole;
  /** `<cluster>-<role>`, which `ssl.principal.mapping.rules` turns into the principal. */
  readonly commonName: string;
  /** SANs, sorted: a wildcard per headless Service (every pod), and for brokers the bootstrap Service and `extraDnsNames`. */
  readonly dnsNames: readonly string[];
  /** Kubernetes Secret cert-manager writes (tls.crt, tls.key as PKCS#8, ca.crt). */
  readonly secretName: string;
  /** Lifetime of the certificate in hours: `security.certificates.durationHours`. */
  readonly durationHours: number;
  /** Hours before expiry cert-manager renews it: `security.certificates.renewBeforeHours`. */
  readonly renewBeforeHours: number;
  /** The issuer that signs node certificates: the cluster CA's, or the one the spec brings. */
  readonly issuer: IssuerRef;
}

/** One certificate per role, shared by every node of the role: the principal is per role, not per pod. */
export function nodeCertificates(model: ClusterModel): NodeCertificatePlan[] {
  const { spec } = model;
  const { durationHours, renewBeforeHours } = spec.security.certificates;
  return (['controller', 'broker'] as const).map((role) => ({
    name: `${spec.kafka.clusterName}-${role}`,
    role,
    commonName: rolePrincipalName(spec, role),
    dnsNames: certificateDnsNames(model, role),
    secretName: tlsSecretName(spec, role),
    durationHours,
    renewBeforeHours,
    issuer: nodeIssuer(spec),
  }));
}

/** Go duration as cert-manager expects it. */
export function hoursDuration(hours: number): string {
  return `${hours}h0m0s`;
}
