import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { TIERS, type EnvironmentSpec, type Tier } from '../constructs/kafka/spec/environment-spec';
import { SpecValidationError } from '../constructs/kafka/validation/problems';
import { validateEnvironments } from '../constructs/kafka/validation/validate';
import { parseArgs } from './args';
import { CliError, type CliOutput, UsageError } from './errors';
import { loadEnvironments } from './load-environments';
import {
  environmentIndexSource,
  environmentSource,
  freeVpcCidr,
  freshClusterId,
  newEnvironmentSpec,
  registerEnvironment,
  zonesFromFlag,
} from './new-environment';

/** `kafka-infra init --help`. */
export const INIT_USAGE = `usage: kafka-infra init <env> --tier <dev|staging|production> --region <region> [options]

Writes environments/<env>.ts with a fresh cluster id and safe defaults (TLS and authentication on every listener,
three controllers and replication factor 3 outside dev, no automatic topic creation), lists it in environments/index.ts
(creating that file if needed), and prints what to do next. Nothing is written when a flag is invalid or the new
environment would not validate.

  --tier <tier>            dev, staging or production (production gets the strictest rules)
  --region <region>        AWS region, e.g. eu-west-1
  --runtime <kind>         kubernetes (cdk8s manifests) or vm (EC2 via Terraform); default: kubernetes
  --zones <zones>          a count (3), letters (a,b,c) or zone names; default: 3 zones (1 for dev)
  --state-bucket <bucket>  S3 bucket of the Terraform state; default: the bucket the project's environments use
  --kafka-sha512 <digest>  VMs: SHA-512 of the Kafka release tarball (for a version the package does not pin)
  --artifact-mirror <bucket>       VMs: S3 bucket holding the Kafka tarball and agents (required for production VMs)
  --jmx-exporter-image <image:jar> Kubernetes: mirror image with the JMX exporter jar, e.g. reg/jmx:1.6.0:/jmx.jar
                                   (required in production: pods start without the internet)
  --secret-store-role <arn>        Kubernetes: IAM role the SecretStore assumes (required in production)
  --project <dir>          the project folder; default: the current directory`;

const RUNTIMES = ['kubernetes', 'vm'] as const;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliError(`--${flag} = ${JSON.stringify(value)}, must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function required(flags: ReadonlyMap<string, string>, flag: string): string {
  const value = flags.get(flag);
  if (value === undefined) throw new UsageError(`init needs --${flag}`);
  return value;
}

/** Writes files so that either all of them are in place or none is (each is written aside, then renamed). */
function writeAll(files: ReadonlyMap<string, string>): void {
  const staged: [string, string][] = [];
  try {
    for (const [path, content] of files) {
      const aside = `${path}.kafka-infra-init`;
      writeFileSync(aside, content);
      staged.push([aside, path]);
    }
    for (const [aside, path] of staged) renameSync(aside, path);
  } finally {
    for (const [aside] of staged) rmSync(aside, { force: true });
  }
}

/** Where `EnvironmentSpec` comes from in the project: this repository's sources, or the installed package. */
function typesImport(projectDir: string): string {
  const manifest = join(projectDir, 'package.json');
  const name = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name : undefined;
  return name === 'kafka-typed-infra' && existsSync(join(projectDir, 'constructs/kafka/index.ts')) ? '../constructs/kafka' : 'kafka-typed-infra';
}

/** Runs `kafka-infra init`; returns the exit code. */
export function runInitCommand(argv: readonly string[], output: CliOutput): number {
  const args = parseArgs(argv, {
    tier: 'value',
    region: 'value',
    runtime: 'value',
    zones: 'value',
    'state-bucket': 'value',
    'kafka-sha512': 'value',
    'artifact-mirror': 'value',
    'jmx-exporter-image': 'value',
    'secret-store-role': 'value',
    project: 'value',
    help: 'switch',
  });
  if (args.switches.has('help')) {
    output.out(INIT_USAGE);
    return 0;
  }
  const [name, ...extra] = args.positionals;
  if (name === undefined) throw new UsageError('init needs the name of the new environment: kafka-infra init <env>');
  if (extra.length > 0) throw new UsageError(`init takes one environment name, got ${args.positionals.join(' ')}`);
  const tier = oneOf<Tier>('tier', required(args.flags, 'tier'), TIERS);
  const region = required(args.flags, 'region');
  const runtime = oneOf('runtime', args.flags.get('runtime') ?? 'kubernetes', RUNTIMES);
  const zonesFlag = args.flags.get('zones') ?? (tier === 'dev' ? '1' : '3');
  const zones = zonesFromFlag(region, zonesFlag);
  if (zones === undefined) throw new CliError(`--zones = ${JSON.stringify(zonesFlag)}, must be a count (1-6), letters (a,b,c) or zone names`);

  const projectDir = resolve(args.flags.get('project') ?? '.');
  const environmentsDir = join(projectDir, 'environments');
  const envFile = join(environmentsDir, `${name}.ts`);
  const indexFile = join(environmentsDir, 'index.ts');
  if (!/^[a-z][-a-z0-9]*$/.test(name)) {
    throw new CliError(`<env> = ${JSON.stringify(name)}, must be a lowercase DNS label: a-z, 0-9 and "-", starting with a letter`);
  }
  if (existsSync(envFile)) throw new CliError(`${relative(projectDir, envFile)} already exists; choose another name`);
  const existing: readonly EnvironmentSpec[] = existsSync(indexFile) ? loadEnvironments(indexFile) : [];
  const stateBucket = args.flags.get('state-bucket') ?? existing.find((spec) => spec.terraformState?.bucket)?.terraformState.bucket;
  if (stateBucket === undefined) throw new UsageError('init needs --state-bucket: the project has no environment whose bucket it could reuse');

  const sha512 = args.flags.get('kafka-sha512');
  const mirror = args.flags.get('artifact-mirror');
  const role = args.flags.get('secret-store-role');
  const jmxFlag = args.flags.get('jmx-exporter-image');
  // `<image>:<absolute jar path>`: the path starts at the last ":/".
  const jmxSplit = jmxFlag?.lastIndexOf(':/') ?? -1;
  if (jmxFlag !== undefined && jmxSplit <= 0) throw new CliError(`--jmx-exporter-image = ${JSON.stringify(jmxFlag)}, must be <image>:<absolute path of the jar>, e.g. registry.example.com/jmx-exporter:1.6.0:/jmx.jar`);
  const spec = newEnvironmentSpec({
    name,
    tier,
    runtime,
    region,
    zones,
    vpcCidr: freeVpcCidr(existing.map((other) => other.aws.vpcCidr)),
    stateBucket,
    // A bucket lives in one region: a bucket the project already uses keeps the region its environments give it.
    ...(() => {
      const region = existing.find((other) => other.terraformState?.bucket === stateBucket)?.terraformState.region;
      return region ? { stateBucketRegion: region } : {};
    })(),
    clusterId: freshClusterId(),
    ...(sha512 !== undefined ? { kafkaSha512: sha512 } : {}),
    ...(mirror !== undefined ? { artifactMirrorBucket: mirror } : {}),
    ...(role !== undefined ? { secretStoreRoleArn: role } : {}),
    ...(jmxFlag !== undefined ? { jmxExporterImage: { image: jmxFlag.slice(0, jmxSplit), jarPath: jmxFlag.slice(jmxSplit + 1) } } : {}),
  });
  try {
    validateEnvironments([...existing, spec]);
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    const hint =
      tier !== 'production' ? '' : runtime === 'vm' ? '\n(production VMs need --artifact-mirror)' : '\n(production on Kubernetes needs --jmx-exporter-image and --secret-store-role)';
    throw new CliError(`init wrote nothing: the new environment would not validate.\n${error.message}${hint}`);
  }

  const typesFrom = typesImport(projectDir);
  let index: string;
  if (existsSync(indexFile)) {
    const registered = registerEnvironment(readFileSync(indexFile, 'utf8'), name);
    if (registered === undefined) {
      throw new CliError(`${relative(projectDir, indexFile)} has no \`export const environments = [...]\` to add ${name} to; nothing was written`);
    }
    index = registered;
  } else {
    index = environmentIndexSource(name, typesFrom);
  }
  mkdirSync(environmentsDir, { recursive: true });
  writeAll(new Map([[envFile, environmentSource(spec, typesFrom)], [indexFile, index]]));

  const shownEnv = relative(process.cwd(), envFile) || envFile;
  output.out(`wrote ${shownEnv}: ${tier}, ${runtime} in ${region} (${zones.join(', ')}), VPC ${spec.aws.vpcCidr}, cluster id ${spec.kafka.clusterId}`);
  output.out(`registered ${name} in ${relative(process.cwd(), indexFile) || indexFile}`);
  output.out('next:');
  output.out(`  1. review ${shownEnv}: node sizes, storage, aws.clientCidrs, security.users and ACLs, tags`);
  output.out(`  2. kafka-infra synth --env ${name}    # writes cdktf.out/stacks/${name}-*/ and dist/${name}/`);
  output.out(`  3. commit ${shownEnv} and environments/index.ts; never change the cluster id once storage is formatted`);
  return 0;
}
