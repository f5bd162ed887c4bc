import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environments } from '../../environments';
import { environmentStacks, readManifest } from '../../rehearse/stack-copies';
import type { ResourceAction } from '../../review/terraform/terraform-diff';
import { removeTempDirs } from '../support/temp-dirs';
import { MUTATIONS } from './mutation-fixtures';
import { PREDICTION_HEADS, mutationsOf, predictedActions, withMutations } from './provider-predictions';
import { synthRoot, withShippedChange } from './support';

/**
 * What the replacement predictions' check against the real provider rests on, without Terraform: the rehearsal
 * (test/rehearse/environments.test.ts) plans the heads of ./provider-predictions.ts against each applied shipped
 * environment and compares them with the predictions. Here: every mutation fixture that changes Terraform is in
 * exactly one head, the heads stay within the plan budget, and each stack is predicted as the rehearsal plans it.
 * That mutations of one head touch different resources (but for the overlaps provider-predictions.ts explains) is
 * checked in ./mutations.test.ts, which reviews every mutation alone anyway.
 */

let base: string;
beforeAll(() => {
  base = synthRoot(environments);
});
afterAll(removeTempDirs);

const changesTerraform = MUTATIONS.filter((mutation) => Object.keys(mutation.expected.terraform).length > 0);

test('every mutation fixture that changes Terraform is planned in exactly one head of its environment, at most two heads per environment', () => {
  const placed = PREDICTION_HEADS.flatMap((head) => mutationsOf(head).map((mutation) => mutation.title));
  expect([...placed].sort()).toEqual(changesTerraform.map((mutation) => mutation.title).sort());
  for (const environment of new Set(PREDICTION_HEADS.map((head) => head.environment))) {
    expect(PREDICTION_HEADS.filter((head) => head.environment === environment).length).toBeLessThanOrEqual(2);
  }
});

test('the heads plan 7 stacks in all (one terraform plan each), the stacks whose configuration differs', () => {
  const planned = Object.fromEntries(PREDICTION_HEADS.map((head) => {
    const root = synthRoot(withMutations(head.environment, mutationsOf(head).map((mutation) => mutation.change)), [head.environment]);
    const file = (dir: string, stack: string) => readFileSync(join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8');
    const differing = environmentStacks(readManifest(base), head.environment).filter((stack) => file(root, stack) !== file(base, stack));
    return [head.label, head.stacks ? differing.filter((stack) => head.stacks!.includes(stack)) : differing];
  }));
  expect(planned).toEqual({
    'staging-network-volumes-cidr': ['staging-kafka', 'staging-network'],
    'staging-tags-smaller-volumes': ['staging-kafka', 'staging-network', 'staging-secrets'],
    'prod-brokers-quorum': ['prod-nodes'],
    'prod-tags-fewer-brokers': ['prod-nodes'],
  });
});

test('a stack is predicted as Terraform plans it in the rehearsal: the other stacks as applied, with the emulator-gap overrides', () => {
  const vpc = MUTATIONS.find((mutation) => mutation.title === 'the VPC range changed')!;
  const head = synthRoot(withShippedChange('staging', vpc.change), ['staging']);
  const count = (actions: Map<string, ResourceAction>) => [...actions.values()].reduce<Record<string, number>>((sum, action) => ({ ...sum, [action]: (sum[action] ?? 0) + 1 }), {});
  // The network stack itself: replaced in full but for the internet gateway (its VPC id is updated in place).
  expect(count(predictedActions(base, head, 'staging', 'staging-network'))).toEqual({ replace: 36, update: 1 });
  // The kafka stack reads the network's outputs from the applied state: planned before the network is applied, it
  // changes nothing (the review of the whole change replaces its instances: they follow once the network is applied).
  expect(predictedActions(base, head, 'staging', 'staging-kafka')).toEqual(new Map());
  // The launch templates ignore their tag specifications in the rehearsal (emulator gap): no new version there.
  const tags = MUTATIONS.find((mutation) => mutation.title === 'a tag changed on EKS: every node group rolls')!;
  const tagged = predictedActions(base, synthRoot(withShippedChange('prod', tags.change), ['prod']), 'prod', 'prod-nodes');
  expect([...tagged].filter(([address]) => address.startsWith('aws_launch_template.'))).toEqual([
    ['aws_launch_template.node-groups_launch-template-broker_354ED1DB', 'update'],
    ['aws_launch_template.node-groups_launch-template-controller_29DFA7D1', 'update'],
  ]);
});
