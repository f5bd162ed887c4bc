/**
 * `npm run plan-reassignment -- --env <name> --describe <file> --out <reassignment.json>`: plans the partition moves
 * of an environment from the live assignment (the output of `kafka-topics.sh --describe`, saved to <file>), prints the
 * plan for review and writes the JSON that `dist/<env>/operations/reassign.sh apply` executes. Replicas leave the
 * brokers `operations.brokers.draining` lists; new brokers get their fair share; one replica per zone is kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildClusterModel } from '../constructs/kafka/model/cluster-model';
import { describeReassignmentPlan, reassignmentPlanOptions, reassignmentTargets } from '../constructs/kafka/operations/reassignment';
import { ReassignmentPlanError, parseTopicDescribe, planReassignment, reassignmentJson } from '../constructs/kafka/operations/reassignment-planner';
import { SpecValidationError } from '../constructs/kafka/validation/problems';
import { validateEnvironments } from '../constructs/kafka/validation/validate';
import { environments } from '../environments';

const USAGE = 'usage: npm run plan-reassignment -- --env <name> --describe <kafka-topics --describe output> --out <reassignment.json>';

export function planReassignmentCli(argv: readonly string[], write: (line: string) => void): number {
  const args = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    if (!['--env', '--describe', '--out'].includes(argv[index]) || argv[index + 1] === undefined) {
      write(`${USAGE}\n`);
      return 2;
    }
    args.set(argv[index], argv[index + 1]);
  }
  const [env, describe, out] = [args.get('--env'), args.get('--describe'), args.get('--out')];
  if (!env || !describe || !out) {
    write(`${USAGE}\n`);
    return 2;
  }
  try {
    const spec = validateEnvironments(environments).find((candidate) => candidate.name === env);
    if (!spec) {
      write(`unknown environment ${env}; known: ${environments.map((candidate) => candidate.name).join(', ')}\n`);
      return 2;
    }
    const model = buildClusterModel(spec);
    const plan = planReassignment(parseTopicDescribe(readFileSync(describe, 'utf8')), reassignmentTargets(model), reassignmentPlanOptions(model));
    write(describeReassignmentPlan(plan));
    writeFileSync(out, reassignmentJson(plan));
    write(`wrote ${out}; review it, then run: dist/${env}/operations/reassign.sh apply ${out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof SpecValidationError || error instanceof ReassignmentPlanError) {
      write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = planReassignmentCli(process.argv.slice(2), (line) => process.stdout.write(line));
