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

/** Cluster-scoped objects (ClusterIssuers, Bundles) carry namespace and cluster, so two clusters never collide. */
export function clusterScopedPrefix(spec: ResolvedSpec): string {
  return `${kubernetes(spec).namespace}-${spec.kafka.clusterName}`;
}

export interface IssuerRef {
  readonly kind: 'Issuer' | 'ClusterIssuer';
  readonly name: string;
}

/** The self-signed bootstrap issuer, the cluster CA certificate and its Secret, and the CA issuer it backs. */
export function selfSignedChainNames(spec: ResolvedSpec): { bootstrapIssuer: string; caCertificate: string; caSecret: string; caIssuer: string } {
  const prefix = clusterScopedPrefix(spec);
  return { bootstrapIssuer: `${prefix}-selfsigned`, caCertificate: `${prefix}-ca`, caSecret: `${prefix}-ca`, caIssuer: `${prefix}-ca` };
}

/** The issuer that signs node certificates: the generated cluster CA, or the one the spec brings. */
export function nodeIssuer(spec: ResolvedSpec): IssuerRef {
  const authority = spec.security.certificates.authority;
  if (authority.mode === 'issuer') return { kind: authority.kind, name: authority.name };
  return { kind: 'ClusterIssuer', name: selfSignedChainNames(spec).caIssuer };
}

/** The Secret (in the trust namespace) holding the CA certificate to publish, if there is one. */
export function caSourceSecret(spec: ResolvedSpec): string | undefined {
  const authority = spec.security.certificates.authority;
  return authority.mode === 'issuer' ? authority.caSecretName : selfSignedChainNames(spec).caSecret;
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

export interface NodeCertificatePlan {
  /** Certificate object name. */
  readonly name: string;
  readonly role: NodeRole;
  /** `<cluster>-<role>`, which `ssl.principal.mapping.rules` turns into the principal. */
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  /** Kubernetes Secret cert-manager writes (tls.crt, tls.key as PKCS#8, ca.crt). */
  readonly secretName: string;
  readonly durationHours: number;
  readonly renewBeforeHours: number;
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
