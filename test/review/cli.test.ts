import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environments } from '../../environments';
import { runReviewCli } from '../../review/cli';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { synthRoot, writeFixture } from './support';

let base: string;
let dangerous: string;
const errors: string[] = [];
const output: string[] = [];

beforeAll(() => {
  base = synthRoot(environments, ['dev', 'prod']);
  dangerous = makeTempDir();
  cpSync(base, dangerous, { recursive: true });
  const file = join(dangerous, 'dist/prod/kafka/kafka-broker-eu-west-1a-0.properties');
  writeFileSync(file, readFileSync(file, 'utf8').replace('unclean.leader.election.enable=false', 'unclean.leader.election.enable=true'));
});
beforeEach(() => {
  errors.length = 0;
  output.length = 0;
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => output.push(String(chunk)) > 0);
});
afterEach(() => jest.restoreAllMocks());
afterAll(removeTempDirs);

test('exit 0 with a report, also when there are dangers but no --fail-on', async () => {
  expect(await runReviewCli([base, dangerous])).toBe(0);
  expect(output.join('')).toContain('(`unclean-leader-election`)');
});

test('exit 1 with --fail-on danger when dangers exist, 0 when none', async () => {
  expect(await runReviewCli([base, dangerous, '--fail-on', 'danger'])).toBe(1);
  expect(await runReviewCli([base, base, '--fail-on', 'danger'])).toBe(0);
});

test('--out writes review.md, review.json and one pair per environment, and nothing half-written', async () => {
  const out = join(makeTempDir(), 'report');
  expect(await runReviewCli([base, dangerous, '--out', out])).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['dev.json', 'dev.md', 'prod.json', 'prod.md', 'review.json', 'review.md']);
  const json = JSON.parse(readFileSync(join(out, 'review.json'), 'utf8'));
  expect(json.dangerCount).toBe(1);
  expect(json.environments.map((environment: { environment: string }) => environment.environment)).toEqual(['dev', 'prod']);
  const first = readFileSync(join(out, 'prod.md'), 'utf8');
  expect(await runReviewCli([base, dangerous, '--out', out])).toBe(0);
  expect(readFileSync(join(out, 'prod.md'), 'utf8')).toBe(first);
});

test.each([
  [['only-one'], 'expected two synth roots (base and head), got 1'],
  [['/nonexistent/base', '/nonexistent/head'], '/nonexistent/base: no such folder'],
  [['--fail-on', 'warning', 'a', 'b'], '--fail-on warning: only --fail-on danger is supported'],
  [['--bogus', 'a', 'b'], 'unknown option --bogus'],
])('exit 2 on bad arguments %j', async (argv, message) => {
  expect(await runReviewCli(argv)).toBe(2);
  expect(errors.join('\n')).toContain(message);
});

test('exit 2 on an unreadable or mismatched input, naming the file', async () => {
  const empty = makeTempDir();
  expect(await runReviewCli([base, empty])).toBe(2);
  expect(errors.join('\n')).toContain('not a synth root');

  const broken = makeTempDir();
  cpSync(base, broken, { recursive: true });
  writeFileSync(join(broken, 'cdktf.out/stacks/prod-network/cdk.tf.json'), '{ not json');
  expect(await runReviewCli([base, broken])).toBe(2);
  expect(errors.join('\n')).toMatch(/cdktf\.out\/stacks\/prod-network\/cdk\.tf\.json is not Terraform JSON/);

  const other = makeTempDir();
  writeFixture(other, 'dist/elsewhere/kafka/kafka-controller-0.properties', 'process.roles=controller\n');
  expect(await runReviewCli([base, other])).toBe(2);
  expect(errors.join('\n')).toContain('have no environment in common');

  expect(await runReviewCli([base, base, '--plan', 'nowhere-network=plan.json'])).toBe(2);
  expect(errors.join('\n')).toContain('--plan nowhere-network=plan.json: not readable JSON');
  const plan = writeFixture(makeTempDir(), 'plan.json', JSON.stringify({ format_version: '1.2', resource_changes: [] }));
  expect(await runReviewCli([base, base, '--plan', `nowhere-network=${plan}`])).toBe(2);
  expect(errors.join('\n')).toContain('no stack nowhere-network in either output');
  expect(existsSync(join(base, 'review.md'))).toBe(false);
});
