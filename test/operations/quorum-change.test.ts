import { planQuorumChangeCli } from '../../bin/plan-quorum-change';
import { quorumResizeSteps, quorumStepProblems, replaceVoterSteps } from '../../constructs/kafka/operations/quorum-change';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { prod } from '../../environments/prod';

/** prod: 3 controllers (0, 1, 2) in eu-west-1a/b/c. */
const spec = validateEnvironment(prod);
const fiveZones: EnvironmentSpec = {
  ...prod,
  aws: { ...prod.aws, region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e'] },
};

test('3 -> 5 voters: migrate, then add one voter at a time where the model places it, each step checked for zone loss', () => {
  const steps = quorumResizeSteps(spec, 5);
  expect(steps.map((step) => [step.action, step.voter?.name, step.voters.map((voter) => voter.id), step.survivesZoneLoss, step.exposedTo])).toEqual([
    ['migrate', undefined, [0, 1, 2], true, undefined],
    ['add', 'kafka-controller-3', [0, 1, 2, 3], false, 'eu-west-1a'],
    ['add', 'kafka-controller-4', [0, 1, 2, 3, 4], true, undefined],
  ]);
  expect(steps[1].voter?.zone).toBe('eu-west-1a');
  // Four voters over three zones always crowd one zone: reported as the exposure of that step, not as a mistake.
  expect(quorumStepProblems(spec, steps)).toEqual([]);
});

test('with five zones no step of 3 -> 5 is exposed to a zone loss', () => {
  expect(quorumResizeSteps(validateEnvironment(fiveZones), 5).every((step) => step.survivesZoneLoss)).toBe(true);
});

test('5 -> 3 removes the highest ordinals first; a quorum already dynamic needs no migration', () => {
  const five = validateEnvironment({ ...prod, kafka: { ...prod.kafka, controllers: { ...prod.kafka.controllers, count: 5 }, features: { kraftVersion: 1 } } });
  expect(quorumResizeSteps(five, 3).map((step) => [step.action, step.voter?.id, step.survivesZoneLoss])).toEqual([
    ['remove', 4, false],
    ['remove', 3, true],
  ]);
});

test('replacing a lost voter: remove its old directory, add it back; the gap is exposed and says so', () => {
  const steps = replaceVoterSteps(spec, 1);
  expect(steps.map((step) => [step.action, step.voters.map((voter) => voter.id), step.exposedTo])).toEqual([
    ['migrate', [0, 1, 2], undefined],
    ['remove', [0, 2], 'eu-west-1a'],
    ['add', [0, 1, 2], undefined],
  ]);
  expect(() => replaceVoterSteps(spec, 7)).toThrow('node 7 is not a controller of prod (controllers: 0, 1, 2)');
});

test('a step list that crowds a zone more than needed is refused', () => {
  const steps = quorumResizeSteps(spec, 5);
  const crowded = steps.map((step, index) => (index === 2 ? { ...step, voters: step.voters.map((voter) => (voter.id === 4 ? { ...voter, zone: 'eu-west-1a' } : voter)), survivesZoneLoss: false, exposedTo: 'eu-west-1a' } : step));
  expect(quorumStepProblems(spec, crowded)).toEqual([
    'step 3 (add kafka-controller-4) puts 3 of 5 voters in zone eu-west-1a; spread them (at most 2 per zone)',
    'the final quorum loses its majority with zone eu-west-1a',
  ]);
});

test('plan-quorum-change prints each step with its voters and exposure', () => {
  const lines: string[] = [];
  expect(planQuorumChangeCli(['--env', 'prod', '--controllers', '5'], (line) => lines.push(line))).toBe(0);
  expect(lines.join('')).toMatch(/^1\. finalize kraft.version 1 .*\n {3}voters: 0@eu-west-1a, 1@eu-west-1b, 2@eu-west-1c \(survives the loss of any zone\)\n2\. start kafka-controller-3 \(zone eu-west-1a\)/);
  expect(lines.join('')).toMatch(/voters: 0@eu-west-1a, 1@eu-west-1b, 2@eu-west-1c, 3@eu-west-1a \(NO majority if zone eu-west-1a is lost: keep this step short\)/);
  expect(planQuorumChangeCli(['--env', 'prod', '--replace', '9'], () => undefined)).toBe(1);
  expect(planQuorumChangeCli(['--env', 'nowhere', '--controllers', '5'], () => undefined)).toBe(2);
});
