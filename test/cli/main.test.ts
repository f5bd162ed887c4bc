import { runCli } from '../../cli/main';
import { removeTempDirs } from '../support/temp-dirs';
import { captureOutput, projectCopy } from './support';

afterAll(removeTempDirs);

describe('kafka-infra', () => {
  it('prints its usage with --help (exit 0) and without a command (exit 2)', async () => {
    const help = captureOutput();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/^usage: kafka-infra <command>/);
    for (const command of ['synth', 'review', 'rehearse', 'init <env>']) expect(help.stdout.join('\n')).toContain(`\n  ${command} `);
    const none = captureOutput();
    expect(await runCli([], none)).toBe(2);
    expect(none.stderr.join('\n')).toMatch(/^usage: kafka-infra <command>/);
  });

  it('exits 2 with the reason and the usage for an unknown command or option', async () => {
    const unknown = captureOutput();
    expect(await runCli(['deploy'], unknown)).toBe(2);
    expect(unknown.stderr[0]).toBe('kafka-infra: unknown command deploy');
    const option = captureOutput();
    expect(await runCli(['synth', '--evn', 'prod'], option)).toBe(2);
    expect(option.stderr[0]).toBe('kafka-infra: unknown option --evn; options: --env, --project, --environments, --help');
    expect(option.stderr.join('\n')).toContain('usage: kafka-infra synth');
    const missing = captureOutput();
    expect(await runCli(['synth', '--env'], missing)).toBe(2);
    expect(missing.stderr[0]).toBe('kafka-infra: --env needs a value');
  });

  it('prints each command\'s own help', async () => {
    for (const command of ['synth', 'init']) {
      const output = captureOutput();
      expect(await runCli([command, '--help'], output)).toBe(0);
      expect(output.stdout.join('\n')).toMatch(new RegExp(`^usage: kafka-infra ${command}`));
    }
  });
});

describe('kafka-infra synth', () => {
  it('synthesizes the project\'s environments, per environment with timings', async () => {
    const project = projectCopy();
    const output = captureOutput();
    expect(await runCli(['synth', '--project', project, '--env', 'dev'], output)).toBe(0);
    expect(output.stderr[0]).toMatch(/^loaded 3 environment\(s\) from .*environments\/index\.ts in \d+ ms$/);
    expect(output.stdout).toContainEqual(expect.stringMatching(/^dev \(kubernetes\): \d+ stack\(s\) \[dev-network\], \d+ file\(s\) in dist\/dev\/, \d+ ms$/));
    expect(output.stdout).toContain('  dist/dev/topology.md');
    expect(output.stdout[output.stdout.length - 1]).toMatch(/^synthesized 1 environment\(s\) in \d+ ms$/);
  });

  it('exits 1 naming the field when an environment is invalid, and writes nothing', async () => {
    const project = projectCopy();
    const { readFileSync, writeFileSync, existsSync } = await import('node:fs');
    const file = `${project}/environments/dev.ts`;
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicationFactor: 1,', 'replicationFactor: 0,'));
    const output = captureOutput();
    expect(await runCli(['synth', '--project', project], output)).toBe(1);
    expect(output.stderr.join('\n')).toContain('synth failed, nothing was written.');
    expect(output.stderr.join('\n')).toContain('dev: kafka.replicationFactor = 0, must be ≥ 1');
    expect(existsSync(`${project}/dist`)).toBe(false);
  });

  it('exits 1 with where it looked when the project has no environments', async () => {
    const output = captureOutput();
    expect(await runCli(['synth', '--project', '/nonexistent-project'], output)).toBe(1);
    expect(output.stderr[0]).toMatch(/^kafka-infra: no environments found in \/nonexistent-project: expected environments\/index\.ts or environments\/index\.js/);
  });

  it('reports a module that fails to compile by file and line, without a stack trace', async () => {
    const project = projectCopy();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${project}/environments/index.ts`, 'export const environments = [;\n');
    const output = captureOutput();
    expect(await runCli(['synth', '--project', project], output)).toBe(1);
    const text = output.stderr.join('\n');
    expect(text).toMatch(/cannot compile .*environments\/index\.ts:\n {2}.*environments\/index\.ts:1: /);
    expect(text).not.toMatch(/\n\s+at /);
  });
});
