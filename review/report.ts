import { type AccessChanges, diffAccess, hasAccessChanges } from './access-diff';
import { type Danger, findDangers } from './dangers';
import { ReviewInputError } from './input-error';
import { type KafkaChanges, diffKafka } from './kafka-diff';
import { type ObjectChange, diffKubernetes } from './kubernetes-diff';
import type { EnvironmentOutput, SynthRoot } from './synth-root';
import { type StackPlan, planChanges } from './terraform/plan-file';
import { type ResourceChange, predictTerraformChanges } from './terraform/terraform-diff';

/** The review of one environment: dangers first, then what changes in Terraform, Kubernetes, Kafka and access. */
export interface EnvironmentReview {
  readonly environment: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly dangers: readonly Danger[];
  /** Findings worth knowing that are bounded (severity `notice`): not dangers, never failing `--fail-on danger`. */
  readonly notices: readonly Danger[];
  readonly terraform: readonly ResourceChange[];
  /** Stacks whose Terraform section comes from a supplied plan instead of the prediction. */
  readonly plannedStacks: readonly string[];
  readonly kubernetes: readonly ObjectChange[];
  readonly kafka: KafkaChanges;
  readonly access: AccessChanges;
  readonly topology: { readonly base?: string; readonly head?: string };
}

export interface Review {
  readonly environments: readonly EnvironmentReview[];
}

export interface ReviewOptions {
  /** `terraform show -json` plans by stack name; each replaces the prediction of its stack. */
  readonly plans?: readonly StackPlan[];
  /** Only these environments. @default - every environment of either root */
  readonly only?: readonly string[];
}

function reviewEnvironment(name: string, base: EnvironmentOutput | undefined, head: EnvironmentOutput | undefined, plans: readonly StackPlan[]): EnvironmentReview {
  const predicted = predictTerraformChanges(base?.stacks ?? new Map(), head?.stacks ?? new Map());
  const planned = plans.filter((plan) => (head?.stacks.has(plan.stack) ?? false) || (base?.stacks.has(plan.stack) ?? false));
  const plannedStacks = planned.map((plan) => plan.stack).sort();
  const terraform = [
    ...predicted.filter((change) => !plannedStacks.includes(change.stack)),
    ...planned.flatMap((plan) => planChanges(plan, head?.stacks.get(plan.stack))),
  ].sort((a, b) => a.stack.localeCompare(b.stack) || a.address.localeCompare(b.address));
  const kubernetes = diffKubernetes(base, head);
  const kafka = diffKafka(base, head, terraform);
  const access = diffAccess(base, head);
  const findings = findDangers({ environment: name, ...(base ? { base } : {}), ...(head ? { head } : {}), terraform, kubernetes, kafka, access });
  const dangers = findings.filter((finding) => finding.severity !== 'notice');
  const notices = findings.filter((finding) => finding.severity === 'notice');
  const changed = terraform.length > 0 || kubernetes.length > 0 || kafka.nodes.some((node) => node.status !== 'unchanged') || hasAccessChanges(access) || base?.topology !== head?.topology;
  return {
    environment: name,
    status: !base ? 'added' : !head ? 'removed' : changed ? 'changed' : 'unchanged',
    dangers,
    notices,
    terraform,
    plannedStacks,
    kubernetes,
    kafka,
    access,
    topology: { ...(base?.topology !== undefined ? { base: base.topology } : {}), ...(head?.topology !== undefined ? { head: head.topology } : {}) },
  };
}

/** Compares two synth roots environment by environment (sorted by name). */
export function reviewSynthRoots(base: SynthRoot, head: SynthRoot, options: ReviewOptions = {}): Review {
  const names = [...new Set([...base.environments.keys(), ...head.environments.keys()])].sort();
  if (!names.some((name) => base.environments.has(name) && head.environments.has(name)) && base.environments.size > 0 && head.environments.size > 0) {
    throw new ReviewInputError(`${base.dir} and ${head.dir} have no environment in common (base: ${[...base.environments.keys()].join(', ')}; head: ${[...head.environments.keys()].join(', ')}): are they outputs of the same project?`);
  }
  const unknown = (options.only ?? []).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new ReviewInputError(`unknown environment ${unknown.join(', ')}; known: ${names.join(', ')}`);
  const plans = options.plans ?? [];
  for (const plan of plans) {
    const known = names.some((name) => base.environments.get(name)?.stacks.has(plan.stack) || head.environments.get(name)?.stacks.has(plan.stack));
    if (!known) throw new ReviewInputError(`--plan ${plan.stack}=${plan.file}: no stack ${plan.stack} in either output`);
  }
  const selected = options.only ? names.filter((name) => options.only!.includes(name)) : names;
  return { environments: selected.map((name) => reviewEnvironment(name, base.environments.get(name), head.environments.get(name), plans)) };
}

export function dangerCount(review: Review): number {
  return review.environments.reduce((sum, environment) => sum + environment.dangers.length, 0);
}
