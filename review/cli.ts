import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ReviewInputError } from './input-error';
import { type Review, dangerCount, reviewSynthRoots } from './report';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { readSynthRoot } from './synth-root';
import { type StackPlan, readPlanFile } from './terraform/plan-file';

export const USAGE = `usage: npm run review -- <base-dir> <head-dir> [options]
  <base-dir>, <head-dir>  synth roots (each holding cdktf.out/ and dist/), e.g. the base branch's and the pull request's
  --out <dir>             write review.md and review.json (all environments) and <env>.md / <env>.json there;
                          without it the Markdown report goes to stdout
  --json                  print the JSON report to stdout instead of the Markdown
  --env <name>[,<name>]   only these environments
  --plan <stack>=<file>   a terraform show -json plan of that stack; replaces the predicted Terraform changes of it
  --fail-on danger        exit 1 when any danger is found (for a required check)
exit codes: 0 report written, 1 dangers found with --fail-on danger, 2 unreadable or mismatched input`;

interface CliOptions {
  readonly base: string;
  readonly head: string;
  readonly out?: string;
  readonly json: boolean;
  readonly only?: string[];
  readonly plans: readonly { stack: string; file: string }[];
  readonly failOnDanger: boolean;
}

function parseArgs(argv: readonly string[]): CliOptions {
  const positional: string[] = [];
  const plans: { stack: string; file: string }[] = [];
  const only: string[] = [];
  let out: string | undefined;
  let json = false;
  let failOnDanger = false;
  const value = (index: number, flag: string): string => {
    const next = argv[index + 1];
    if (next === undefined || next.startsWith('--')) throw new ReviewInputError(`${flag} needs a value\n${USAGE}`);
    return next;
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => inline ?? value(index++, flag);
    if (flag === '--out') out = take();
    else if (flag === '--json') json = true;
    else if (flag === '--env') only.push(...take().split(',').filter((name) => name !== ''));
    else if (flag === '--fail-on') {
      const what = take();
      if (what !== 'danger') throw new ReviewInputError(`--fail-on ${what}: only --fail-on danger is supported`);
      failOnDanger = true;
    } else if (flag === '--plan') {
      const spec = take();
      const at = spec.indexOf('=');
      if (at <= 0 || at === spec.length - 1) throw new ReviewInputError(`--plan ${spec}: expected <stack>=<file>, e.g. --plan prod-network=prod-network.plan.json`);
      plans.push({ stack: spec.slice(0, at), file: spec.slice(at + 1) });
    } else if (arg === '--help' || arg === '-h') throw new ReviewInputError(USAGE);
    else if (arg.startsWith('--')) throw new ReviewInputError(`unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 2) throw new ReviewInputError(`expected two synth roots (base and head), got ${positional.length}\n${USAGE}`);
  return { base: resolve(positional[0]), head: resolve(positional[1]), ...(out ? { out: resolve(out) } : {}), json, ...(only.length > 0 ? { only } : {}), plans, failOnDanger };
}

/** Writes every report file into a staging folder first, then moves them in: a failure leaves no half report. */
function writeReports(out: string, review: Review): void {
  mkdirSync(out, { recursive: true });
  const staging = mkdtempSync(join(out, '.review-staging-'));
  try {
    const files = new Map<string, string>([
      ['review.md', renderMarkdown(review)],
      ['review.json', renderJson(review)],
    ]);
    for (const environment of review.environments) {
      const single: Review = { environments: [environment] };
      files.set(`${environment.environment}.md`, renderMarkdown(single));
      files.set(`${environment.environment}.json`, renderJson(single));
    }
    for (const [file, content] of files) writeFileSync(join(staging, file), content);
    for (const file of files.keys()) renameSync(join(staging, file), join(out, file));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** `review <base-dir> <head-dir> ...`: 0 with a report, 1 with --fail-on danger and dangers, 2 on bad input. */
export async function runReviewCli(argv: readonly string[]): Promise<number> {
  try {
    const options = parseArgs(argv);
    const plans: StackPlan[] = options.plans.map((plan) => readPlanFile(plan.stack, plan.file));
    const review = reviewSynthRoots(readSynthRoot(options.base), readSynthRoot(options.head), { plans, ...(options.only ? { only: options.only } : {}) });
    if (options.out) {
      writeReports(options.out, review);
      console.error(`review: ${review.environments.length} environment(s), ${dangerCount(review)} danger(s); wrote ${join(options.out, 'review.md')} and review.json`);
    }
    if (!options.out || options.json) process.stdout.write(options.json ? renderJson(review) : renderMarkdown(review));
    return options.failOnDanger && dangerCount(review) > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ReviewInputError) {
      console.error(`review: ${error.message}`);
      return 2;
    }
    console.error(`review: could not build the report: ${(error as Error).stack ?? String(error)}`);
    return 2;
  }
}
