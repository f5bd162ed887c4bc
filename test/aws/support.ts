import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from '../../constructs/aws/cdktf';
import { buildClusterModel, type ClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { addEnvironmentStacks } from '../../stacks';
import { makeTempDir } from '../support/temp-dirs';

/** A synthesized stack: its Terraform JSON, raw (for cdktf's matchers) and parsed. */
export interface SynthesizedStack {
  readonly raw: string;
  readonly json: TerraformJson;
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  terraform?: { backend?: Record<string, Record<string, unknown>> };
  provider?: Record<string, Record<string, any>[]>;
}

export function modelOf(spec: EnvironmentSpec): ClusterModel {
  return buildClusterModel(validateEnvironment(spec));
}

/** Every stack of one environment, by name (call removeTempDirs in afterAll). */
export function synthEnvironment(spec: EnvironmentSpec): Map<string, SynthesizedStack> {
  const outdir = makeTempDir('aws-stacks-');
  const app = new App({ outdir });
  const stacks = addEnvironmentStacks(app, modelOf(spec));
  // A full app synth resolves cross-stack references into remote-state lookups, as `npm run synth` does.
  app.synth();
  return new Map(
    stacks.map((stack) => {
      const raw = readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8');
      return [stack.node.id, { raw, json: JSON.parse(raw) as TerraformJson }];
    }),
  );
}

/** The resources of one type, as a list of their configurations (each with its logical name under `__name`). */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any>[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, config]) => ({ __name: name, ...config }));
}

/** The logical resource `type.name` an interpolation `${type.name.attr}` points at. */
export function refersTo(value: unknown, type: string, config: Record<string, any>, attribute = 'id'): boolean {
  return value === `\${${type}.${config.__name}.${attribute}}`;
}

/** Undoes the escaping of an HCL quoted string literal (the inverse of hclStringLiteral). */
export function unescapeHclString(literal: string): string {
  if (!literal.startsWith('"') || !literal.endsWith('"')) throw new Error(`not an HCL string literal: ${literal.slice(0, 40)}`);
  return literal
    .slice(1, -1)
    .replace(/\\(["\\nrt])|\$\$\{|%%\{/g, (match, escaped: string | undefined) => {
      if (match === '$${') return '${';
      if (match === '%%{') return '%{';
      return ({ '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[escaped!];
    });
}

/** The cloud-config text inside `${base64gzip("...")}`. */
export function userDataOf(instance: Record<string, any>): string {
  const expression = instance.user_data_base64 as string;
  const match = /^\$\{base64gzip\(("(?:[^"\\]|\\.)*")\)\}$/s.exec(expression);
  if (!match) throw new Error(`unexpected user data expression: ${expression.slice(0, 60)}`);
  return unescapeHclString(match[1]);
}
