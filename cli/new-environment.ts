/**
 * What `kafka-infra init` writes: a new environment with safe defaults from a few choices, its source text, and its
 * registration in `environments/index.ts`. Pure: reading and writing files is init-command.ts's job.
 */
import { randomBytes } from 'node:crypto';
import type { EnvironmentSpec, Tier } from '../constructs/kafka/spec/environment-spec';
import { clusterIdProblem } from '../constructs/kafka/spec/cluster-id';

/** The Kafka release new environments start on. */
export const INITIAL_KAFKA_VERSION = '4.1.1';

/** The choices `init` takes from its flags. */
export interface NewEnvironmentChoices {
  /** Environment name (`<env>` of `dist/<env>/`). */
  readonly name: string;
  /** Where the environment sits on the way to production. */
  readonly tier: Tier;
  /** Where Kafka runs. */
  readonly runtime: 'kubernetes' | 'vm';
  /** AWS region. */
  readonly region: string;
  /** Availability zones, each one a rack. */
  readonly zones: readonly string[];
  /** VPC CIDR, free among the project's environments. */
  readonly vpcCidr: string;
  /** S3 bucket of the Terraform state. */
  readonly stateBucket: string;
  /** Region the state bucket lives in. @default - the environment's region */
  readonly stateBucketRegion?: string;
  /** The cluster id storage is formatted with. */
  readonly clusterId: string;
  /** SHA-512 of the Kafka release tarball (VMs). @default - the digest the package pins for the Kafka version */
  readonly kafkaSha512?: string;
  /** S3 bucket the VMs install Kafka from (required for production VMs, which get no internet egress). @default - none */
  readonly artifactMirrorBucket?: string;
  /** Mirror image carrying the JMX exporter jar, as `<image>:<path of the jar>` (required on production Kubernetes). @default - none */
  readonly jmxExporterImage?: { readonly image: string; readonly jarPath: string };
  /** IAM role (IRSA) the SecretStore authenticates as (required on production Kubernetes). @default - none */
  readonly secretStoreRoleArn?: string;
}

/** A fresh Kafka cluster id: 16 random bytes as 22 base64url characters, as `kafka-storage.sh random-uuid` prints. */
export function freshClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    // Kafka's own generator also draws again for reserved ids and ids starting with "-".
    if (clusterIdProblem(id) === undefined) return id;
  }
}

/** Zones from `--zones`: full names (`eu-west-1a`), letters (`a,b,c`) or a count (`3` = the region's a, b, c). */
export function zonesFromFlag(region: string, flag: string): string[] | undefined {
  if (/^[1-6]$/.test(flag)) return [...'abcdef'.slice(0, Number(flag))].map((letter) => `${region}${letter}`);
  const parts = flag.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) return undefined;
  return parts.map((part) => (/^[a-z]$/.test(part) ? `${region}${part}` : part));
}

/** The first `10.<n>.0.0/16` no other environment uses. */
export function freeVpcCidr(used: readonly string[]): string {
  for (let second = 10; second < 250; second += 10) {
    const cidr = `10.${second}.0.0/16`;
    if (!used.some((other) => other.startsWith(`10.${second}.`))) return cidr;
  }
  for (let second = 0; second < 256; second++) {
    const cidr = `10.${second}.0.0/16`;
    if (!used.some((other) => other.startsWith(`10.${second}.`))) return cidr;
  }
  return '172.16.0.0/16';
}

/**
 * The spec: three controllers and a replication factor of 3 with `min.insync.replicas` 2 outside dev, enough brokers
 * per zone for that, and everything else on the schema's safe defaults (TLS on every listener, SCRAM-SHA-512 for
 * clients, mutual TLS between nodes, no automatic topic creation, encrypted gp3 volumes).
 */
export function newEnvironmentSpec(choices: NewEnvironmentChoices): EnvironmentSpec {
  const dev = choices.tier === 'dev';
  const replicationFactor = dev ? Math.min(choices.zones.length, 3) : 3;
  const perZone = Math.max(1, Math.ceil(replicationFactor / choices.zones.length));
  const vm = choices.runtime === 'vm';
  const controllerSize = vm ? { instanceType: dev ? 't3.medium' : 'm6i.large' } : dev ? { cpu: 0.5, memoryGiB: 1 } : { cpu: 1, memoryGiB: 4 };
  const brokerSize = vm ? { instanceType: dev ? 'm6i.large' : 'r6i.large' } : dev ? { cpu: 1, memoryGiB: 2 } : { cpu: 2, memoryGiB: 8 };
  return {
    name: choices.name,
    tier: choices.tier,
    aws: { region: choices.region, availabilityZones: [...choices.zones], vpcCidr: choices.vpcCidr },
    runtime: vm
      ? {
          kind: 'vm',
          ...(choices.kafkaSha512 ? { kafkaDistribution: { sha512: choices.kafkaSha512 } } : {}),
          ...(choices.artifactMirrorBucket ? { artifactMirror: { bucket: choices.artifactMirrorBucket } } : {}),
        }
      : { kind: 'kubernetes', namespace: `kafka-${choices.name}`.slice(0, 40).replace(/-+$/, '') },
    ...(vm && choices.artifactMirrorBucket ? { aws: { region: choices.region, availabilityZones: [...choices.zones], vpcCidr: choices.vpcCidr, egress: 'none' as const } } : {}),
    kafka: {
      version: INITIAL_KAFKA_VERSION,
      clusterId: choices.clusterId,
      controllers: { count: dev ? 1 : 3, size: controllerSize, storage: { sizeGiB: dev ? 5 : 20 } },
      brokers: { perZone, size: brokerSize, storage: { sizeGiB: dev ? 20 : 100 } },
      replicationFactor,
      minInsyncReplicas: replicationFactor >= 3 ? 2 : 1,
    },
    terraformState: { bucket: choices.stateBucket, region: choices.stateBucketRegion ?? choices.region },
    monitoring: { enabled: true, ...(choices.jmxExporterImage ? { jmxExporter: { ...choices.jmxExporterImage } } : {}) },
    ...(choices.secretStoreRoleArn ? { security: { externalSecrets: { serviceAccountRoleArn: choices.secretStoreRoleArn } } } : {}),
    tags: { environment: choices.name },
  };
}

/** `eu-prod` -> `euProd`: the name the environment's constant gets. */
export function identifierOf(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  return /^[0-9]/.test(camel) ? `env${camel}` : camel;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function literal(value: unknown, indent: string): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, indent)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  const inner = `${indent}  `;
  const flat = `{ ${entries.map(([key, item]) => `${IDENTIFIER.test(key) ? key : literal(key, '')}: ${literal(item, inner)}`).join(', ')} }`;
  if (flat.length + indent.length <= 100 && !entries.some(([, item]) => typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).length > 2)) {
    return flat;
  }
  return `{\n${entries.map(([key, item]) => `${inner}${IDENTIFIER.test(key) ? key : literal(key, '')}: ${literal(item, inner)},`).join('\n')}\n${indent}}`;
}

/** The text of `environments/<env>.ts`; `typesFrom` is where `EnvironmentSpec` is imported from. */
export function environmentSource(spec: EnvironmentSpec, typesFrom: string): string {
  return [
    `import type { EnvironmentSpec } from '${typesFrom}';`,
    '',
    `/** Written by \`kafka-infra init\`. The cluster id is fixed forever: storage is formatted with it. */`,
    `export const ${identifierOf(spec.name)}: EnvironmentSpec = ${literal(spec, '')};`,
    '',
  ].join('\n');
}

/** A fresh `environments/index.ts` listing one environment. */
export function environmentIndexSource(name: string, typesFrom: string): string {
  return [
    `import type { EnvironmentSpec } from '${typesFrom}';`,
    `import { ${identifierOf(name)} } from './${name}';`,
    '',
    '/** Every environment `kafka-infra synth` builds. To add one: `kafka-infra init <env>`, or write it and list it here. */',
    `export const environments: readonly EnvironmentSpec[] = [${identifierOf(name)}];`,
    '',
  ].join('\n');
}

const ENVIRONMENTS_ARRAY = /(export\s+const\s+environments\b[^=]*=\s*\[)([^\]]*)(\])/;

/**
 * `environments/index.ts` with the new environment imported and appended to the `environments` array, or undefined
 * when the file has no `export const environments = [...]` literal to append to.
 */
export function registerEnvironment(indexSource: string, name: string): string | undefined {
  const match = ENVIRONMENTS_ARRAY.exec(indexSource);
  if (!match) return undefined;
  const identifier = identifierOf(name);
  const listed = (match[2] ?? '').trim().replace(/,\s*$/, '');
  const withEntry = indexSource.replace(ENVIRONMENTS_ARRAY, (_, open: string, __: string, close: string) =>
    `${open}${listed ? `${listed}, ` : ''}${identifier}${close}`,
  );
  const importLine = `import { ${identifier} } from './${name}';\n`;
  const imports = [...withEntry.matchAll(/^import .*;\n/gm)];
  const last = imports[imports.length - 1];
  if (last === undefined || last.index === undefined) return `${importLine}${withEntry}`;
  const at = last.index + last[0].length;
  return `${withEntry.slice(0, at)}${importLine}${withEntry.slice(at)}`;
}
