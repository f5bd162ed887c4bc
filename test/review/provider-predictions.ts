import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { environments } from '../../environments';
import { type HeadPlan, type HeadRoot, configAsRehearsed, typesWithInventedUpdates } from '../../rehearse/head-plans';
import type { PlannedResourceChange } from '../../rehearse/plan';
import { readSynthRoot } from '../../review/synth-root';
import type { TerraformDocument } from '../../review/synth-root';
import { type ResourceAction, predictTerraformChanges } from '../../review/terraform/terraform-diff';
import { synthesize } from '../../synth/synthesize';
import { withChange } from '../fixtures/environments';
import { MUTATIONS, type Mutation } from './mutation-fixtures';

/**
 * The review's replacement predictions against the real provider, for the mutation fixtures that change Terraform:
 * the full rehearsal (test/rehearse/environments.test.ts) applies each shipped environment, and right after its
 * convergence check plans these heads against that state (rehearse/head-plans.ts); each planned resource's action must
 * equal the predicted one.
 *
 * Grouping: every plan costs 7-12 s of CPU, so the mutations of an environment share heads, at most two per
 * environment. A head combines mutations that touch different resources, so each one's effect stays visible in the
 * combined plan: the VPC range (the network stack), larger volumes (the EBS volumes) and a new client CIDR (a new rule)
 * in one; one more broker per zone (the broker node groups) and a larger quorum (the controller node groups) in one.
 * Two overlaps cannot be avoided with two heads: the smaller volume, the larger one and the tag change all update the
 * EBS volumes, and one broker fewer per zone and the tag change both update the broker node groups. There both
 * mutations update in place, so a replacement the table missed would still show (a replace is not hidden by an
 * update); what the overlap hides is only whether the second change alone would be an update. `overlaps` (checked
 * without Terraform) pins exactly these.
 *
 * The EKS tag head plans only prod-nodes: its network and secrets stacks are the same constructs as staging's, whose
 * tag change is planned in full. Not checked here: a change that reaches a stack through another stack's outputs
 * (a new VPC replaces the subnets, hence the instances in them): Terraform plans a stack against the state of the
 * stacks it reads, so the provider sees it only after the upstream stack is applied. Each stack's prediction is
 * therefore made as Terraform plans it: the other stacks as applied, and with the rehearsal's overrides of the
 * emulator-gap list (e.g. ignore_changes on launch template tag specifications).
 */

export interface PredictionHead {
  readonly label: string;
  readonly environment: string;
  /** Titles of fixtures in ./mutation-fixtures.ts. */
  readonly mutations: readonly string[];
  /** Plan only these stacks. @default - every stack whose configuration differs */
  readonly stacks?: readonly string[];
}

export const PREDICTION_HEADS: readonly PredictionHead[] = [
  { label: 'staging-network-volumes-cidr', environment: 'staging', mutations: ['the VPC range changed', 'a larger broker volume on VMs', 'a new client CIDR'] },
  { label: 'staging-tags-smaller-volumes', environment: 'staging', mutations: ['a tag changed on VMs (benign)', 'a smaller broker volume on VMs'] },
  { label: 'prod-brokers-quorum', environment: 'prod', mutations: ['one more broker per zone', 'controller quorum 3 \u2192 5'] },
  { label: 'prod-tags-fewer-brokers', environment: 'prod', mutations: ['a tag changed on EKS: every node group rolls', 'one broker fewer per zone (flagged, validation allows it)'], stacks: ['prod-nodes'] },
];

export function mutationsOf(head: PredictionHead): Mutation[] {
  return head.mutations.map((title) => {
    const mutation = MUTATIONS.find((candidate) => candidate.title === title);
    if (!mutation) throw new Error(`prediction head ${head.label}: no mutation fixture "${title}"`);
    if (mutation.environment !== head.environment) throw new Error(`prediction head ${head.label} (${head.environment}): "${title}" mutates ${mutation.environment}`);
    return mutation;
  });
}

/** The shipped environments with `changes` applied to one of them, in order. */
export function withMutations(environment: string, changes: readonly ((draft: any) => void)[]): EnvironmentSpec[] {
  return environments.map((spec) => (spec.name === environment ? changes.reduce((current, change) => withChange(current, change), spec) : spec));
}

/** Synthesizes the heads of an environment below `workDir`, for the rehearsal's `heads` option. */
export function headRoots(environment: string, workDir: string): HeadRoot[] {
  return PREDICTION_HEADS.filter((head) => head.environment === environment).map((head) => {
    const root = join(workDir, head.label);
    mkdirSync(root, { recursive: true });
    synthesize({ rootDir: root, environments: withMutations(environment, mutationsOf(head).map((mutation) => mutation.change)), only: [environment] });
    return { label: head.label, root, ...(head.stacks ? { stacks: head.stacks } : {}) };
  });
}

function stacksOf(root: string, environment: string): ReadonlyMap<string, TerraformDocument> {
  const output = readSynthRoot(root).environments.get(environment);
  if (!output) throw new Error(`${root} holds no output of ${environment}`);
  return output.stacks;
}

/** The review's predicted action per address of one stack, made as Terraform plans that stack in the rehearsal. */
export function predictedActions(baseRoot: string, headRoot: string, environment: string, stack: string): Map<string, ResourceAction> {
  const base = new Map([...stacksOf(baseRoot, environment)].map(([name, document]) => [name, configAsRehearsed(document)]));
  const head = new Map(base);
  const changed = stacksOf(headRoot, environment).get(stack);
  if (!changed) throw new Error(`${headRoot} has no stack ${stack}`);
  head.set(stack, configAsRehearsed(changed));
  return new Map(predictTerraformChanges(base, head).filter((change) => change.stack === stack).map((change) => [change.address, change.action]));
}

export function plannedAction(change: PlannedResourceChange): ResourceAction {
  if (change.replace) return 'replace';
  if (change.actions.includes('create')) return 'create';
  if (change.actions.includes('delete')) return 'delete';
  return 'update';
}

export interface PredictionComparison {
  /** `<address>: predicted <a>, planned <b>` for every disagreement. */
  readonly mismatches: readonly string[];
  /** Updates the provider planned and the review did not, of types whose updates the emulator invents. */
  readonly inventedByEmulator: readonly string[];
  readonly actions: ReadonlySet<ResourceAction>;
}

export function compareStack(predicted: ReadonlyMap<string, ResourceAction>, planned: readonly PlannedResourceChange[]): PredictionComparison {
  const invented = new Set(typesWithInventedUpdates());
  const byAddress = new Map(planned.map((change) => [change.address, change]));
  const mismatches: string[] = [];
  const inventedByEmulator: string[] = [];
  for (const address of [...new Set([...predicted.keys(), ...byAddress.keys()])].sort()) {
    const plan = byAddress.get(address);
    const [want, got] = [predicted.get(address), plan ? plannedAction(plan) : undefined];
    if (want === got) continue;
    if (want === undefined && got === 'update' && invented.has(plan!.type)) inventedByEmulator.push(address);
    else mismatches.push(`${address}: predicted ${want ?? 'no change'}, planned ${got ?? 'no change'}`);
  }
  return { mismatches, inventedByEmulator, actions: new Set([...predicted.values()]) };
}

/** The comparison of every planned stack of one head. */
export function compareHead(baseRoot: string, head: HeadRoot, plan: HeadPlan, environment: string): Record<string, PredictionComparison> {
  return Object.fromEntries(plan.stacks.map((stack) => [stack.stack, compareStack(predictedActions(baseRoot, head.root, environment, stack.stack), stack.changes)]));
}
