import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App as Cdk8sApp } from 'cdk8s';
import fc from 'fast-check';
import { addEnvironmentCharts } from '../../charts';
import { App as CdktfApp, Testing } from '../../constructs/aws/cdktf';
import { renderServerProperties } from '../../constructs/kafka/config/server-properties';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { monitoringArtifacts } from '../../constructs/kafka/monitoring/monitoring-artifacts';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { isDnsSubdomain, qualifiedNameProblem } from '../../constructs/kafka/spec/kubernetes-names';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { vmArtifacts } from '../../constructs/kafka/vm/artifacts';
import { addEnvironmentStacks } from '../../stacks';
import { withoutCreationStacks } from '../../synth/creation-stacks';
import { schemaErrors } from '../k8s/kubernetes-schema';
import { printSpec } from './print-spec';
import { validSpec } from './valid-specs';

/**
 * The valid-spec property, shared by two test files so that jest's two workers split the runs: each generated spec
 * validates, and its synthesized output (in memory, never written) passes the Kubernetes schemas and holds no
 * `undefined`, `NaN`, `[object Object]` or null where a value belongs. Kubernetes objects are checked as the charts
 * produce them (the YAML writer is a plain serializer of the same objects); Terraform is synthesized for every
 * `TERRAFORM_EVERY`-th spec, as it costs several times the rest.
 */

const TERRAFORM_EVERY = 12;
const BAD_TEXT = /\bundefined\b|\bNaN\b|\[object Object\]/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export interface Counts {
  specs: number;
  kubernetesObjects: number;
  schemaChecked: number;
  files: number;
  terraformStacks: number;
  runtimes: Record<string, number>;
}

/** Where in a value a bad scalar sits: NaN/Infinity, a string with `undefined`/`NaN`/`[object Object]`, null or undefined. */
function badScalars(value: unknown, path: string, found: string[]): void {
  if (found.length > 5) return;
  if (value === null) found.push(`${path} is null`);
  else if (value === undefined) found.push(`${path} is undefined`);
  else if (typeof value === 'number' && !Number.isFinite(value)) found.push(`${path} is ${value}`);
  else if (typeof value === 'string' && BAD_TEXT.test(value)) found.push(`${path} contains ${BAD_TEXT.exec(value)?.[0]}: ${value.slice(0, 120)}`);
  else if (Array.isArray(value)) value.forEach((item, index) => badScalars(item, `${path}[${index}]`, found));
  else if (typeof value === 'object') for (const [key, item] of Object.entries(value)) badScalars(item, `${path}.${key}`, found);
}

/** Names and labels as the API server checks them (the OpenAPI schemas do not). */
function nameProblems(object: Record<string, any>): string[] {
  const problems: string[] = [];
  const { name, labels, annotations } = object.metadata ?? {};
  const what = `${object.kind} ${name}`;
  if (typeof name !== 'string' || !isDnsSubdomain(name)) problems.push(`${what}: metadata.name is not a DNS subdomain`);
  for (const [key, value] of Object.entries<string>(labels ?? {})) {
    if (qualifiedNameProblem(key)) problems.push(`${what}: label key ${key} ${qualifiedNameProblem(key)}`);
    if (!LABEL_VALUE.test(value) || value.length > 63) problems.push(`${what}: label ${key}=${value} is not a label value`);
  }
  for (const key of Object.keys(annotations ?? {})) {
    if (qualifiedNameProblem(key)) problems.push(`${what}: annotation key ${key} ${qualifiedNameProblem(key)}`);
  }
  return problems;
}

const validatedObjects = new Set<string>();

function checkSpec(spec: EnvironmentSpec, index: number, counts: Counts): void {
  const { spec: resolved, problems } = checkEnvironment(spec);
  if (!resolved) throw new Error(`a valid spec was rejected: ${problems.map(formatProblem).join(' | ')}`);
  const model = buildClusterModel(resolved);
  const failures: string[] = [];

  const files = new Map<string, string>();
  for (const node of model.nodes) files.set(`kafka/${node.name}.properties`, renderServerProperties(model, node));
  for (const [file, content] of monitoringArtifacts(model)) files.set(file, content);
  for (const [file, content] of vmArtifacts(model)) files.set(file, content);
  for (const [file, content] of files) {
    const bad = BAD_TEXT.exec(content);
    if (bad) failures.push(`${file} contains ${bad[0]}`);
  }
  counts.files += files.size;

  const app = new Cdk8sApp({ outdir: 'unused', recordConstructMetadata: false });
  for (const [file, chart] of Object.entries(addEnvironmentCharts(app, model))) {
    for (const object of chart.toJson() as Record<string, any>[]) {
      counts.kubernetesObjects++;
      const found: string[] = [];
      badScalars(object, `${file}: ${object.kind} ${object.metadata?.name}`, found);
      failures.push(...found, ...nameProblems(object));
      const key = JSON.stringify(object);
      if (!validatedObjects.has(key)) {
        validatedObjects.add(key);
        counts.schemaChecked++;
        failures.push(...schemaErrors(object));
      }
    }
  }

  if (index % TERRAFORM_EVERY === 0) {
    const outdir = mkdtempSync(join(tmpdir(), 'property-tf-'));
    try {
      // As synth does it: without formatting a stack trace for every cdktf token.
      withoutCreationStacks(() => {
        const tfApp = new CdktfApp({ outdir, stackTraces: false });
        for (const stack of addEnvironmentStacks(tfApp, model)) {
          counts.terraformStacks++;
          const found: string[] = [];
          badScalars(JSON.parse(Testing.synth(stack)), stack.node.id, found);
          failures.push(...found);
        }
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  if (failures.length > 0) throw new Error(failures.slice(0, 8).join('\n'));
  counts.specs++;
  counts.runtimes[resolved.runtime.kind] = (counts.runtimes[resolved.runtime.kind] ?? 0) + 1;
}

/** Runs the property for `runs` specs from `seed`; a failure reports the shrunk spec. */
export function checkValidSpecs(seed: number, runs: number): Counts {
  const counts: Counts = { specs: 0, kubernetesObjects: 0, schemaChecked: 0, files: 0, terraformStacks: 0, runtimes: {} };
  let index = 0;
  fc.assert(
    fc.property(validSpec, (spec) => {
      try {
        checkSpec(spec, index++, counts);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nspec: ${printSpec(spec)}`);
      }
    }),
    { seed, numRuns: runs },
  );
  return counts;
}
