import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

/**
 * The workflows users copy are checked by action-validator (SchemaStore's GitHub workflow schema, plus its own
 * checks of globs and job references), and every npm script, file and output folder they rely on must exist.
 */

const repo = resolve(__dirname, '..', '..');
const dir = join(repo, '.github', 'workflows');
const workflows = readdirSync(dir).filter((file) => file.endsWith('.yml') || file.endsWith('.yaml')).sort();
const scripts: Record<string, string> = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts;

function runLines(workflow: Record<string, any>): string[] {
  return Object.values<Record<string, any>>(workflow.jobs ?? {}).flatMap((job) => (job.steps ?? []).map((step: Record<string, any>) => step.run).filter((run: unknown): run is string => typeof run === 'string'));
}

test('there is a workflow to validate', () => {
  expect(workflows).toContain('kafka-review.yml');
});

describe.each(workflows)('%s', (file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const workflow = parse(text);

  test('passes action-validator against the GitHub workflow schema', () => {
    const result = validateWorkflow(text);
    expect(result.errors).toEqual([]);
  });

  test('every npm script it runs exists in package.json', () => {
    const used = runLines(workflow).flatMap((run) => [...run.matchAll(/npm run (?:--silent )?([a-z:-]+)/g)].map((match) => match[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const script of used) expect(Object.keys(scripts)).toContain(script);
    if (runLines(workflow).some((run) => /\bnpm test\b/.test(run))) expect(scripts.test).toBeDefined();
  });

  test('every tool it calls through npx is a dependency, and the files it reads are produced', () => {
    const packageJson = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    const dependencies = { ...packageJson.dependencies, ...packageJson.devDependencies };
    const bins: Record<string, string> = { cdktf: 'cdktf-cli' };
    for (const run of runLines(workflow)) {
      for (const [, tool] of run.matchAll(/npx ([a-z@/.-]+)/g)) expect(dependencies).toHaveProperty(bins[tool] ?? tool);
      // The stacks of an environment come from cdktf's manifest, which synth writes.
      if (run.includes('cdktf.out/manifest.json')) expect(run.includes('npm run synth') || runLines(workflow).some((other) => other.includes('npm run synth'))).toBe(true);
    }
    const review = runLines(workflow).find((run) => run.includes('npm run --silent review'));
    expect(review).toMatch(/--out \.\.\/review/);
    expect(text).toContain("readFileSync('review/review.md'");
    expect(existsSync(join(repo, 'bin', 'review.ts'))).toBe(true);
    expect(existsSync(join(repo, 'cdktf.json'))).toBe(true);
  });

  test('production deploys need an approval and AWS credentials come from OIDC, never from secrets', () => {
    expect(text).toMatch(/environment: \$\{\{ matrix\.environment == 'prod' && 'production'/);
    expect(text).toContain('id-token: write');
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\.AWS/);
  });
});

test('the validator catches a broken workflow (so a pass above means something)', () => {
  const broken = 'on: push\njobs:\n  build:\n    steps:\n      - run: echo hi\n';
  expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
});
