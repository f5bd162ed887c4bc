/**
 * `npm run plan-quorum-change -- --env <name> (--controllers <3|5> | --replace <node id>)`: prints the steps of a
 * controller quorum change for the environment, each with the voters it leaves and whether they survive the loss
 * of any one zone; exits 1 when a step crowds a zone more than it must. The commands are in docs/operations.md.
 */
import { type QuorumStep, quorumResizeSteps, quorumStepProblems, replaceVoterSteps } from '../constructs/kafka/operations/quorum-change';
import { validateEnvironments } from '../constructs/kafka/validation/validate';
import { environments } from '../environments';

export function planQuorumChangeCli(argv: readonly string[], write: (line: string) => void): number {
  const [flag, env, kind, value] = argv;
  const spec = flag === '--env' ? validateEnvironments(environments).find((candidate) => candidate.name === env) : undefined;
  const number = Number(value);
  if (!spec || !['--controllers', '--replace'].includes(kind) || !Number.isInteger(number)) {
    write('usage: npm run plan-quorum-change -- --env <name> (--controllers <3|5> | --replace <node id>)\n');
    return 2;
  }
  let steps: QuorumStep[];
  try {
    steps = kind === '--controllers' ? quorumResizeSteps(spec, number) : replaceVoterSteps(spec, number);
  } catch (error) {
    write(`${(error as Error).message}\n`);
    return 1;
  }
  steps.forEach((step, index) => {
    const exposure = step.survivesZoneLoss ? 'survives the loss of any zone' : `NO majority if zone ${step.exposedTo} is lost: keep this step short`;
    write(`${index + 1}. ${step.description}\n   voters: ${step.voters.map((voter) => `${voter.id}@${voter.zone}`).join(', ')} (${exposure})\n`);
  });
  const problems = quorumStepProblems(spec, steps);
  for (const problem of problems) write(`problem: ${problem}\n`);
  return problems.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = planQuorumChangeCli(process.argv.slice(2), (line) => process.stdout.write(line));
