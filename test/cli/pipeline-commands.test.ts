import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../../cli/main';
import { PIPELINE_COMMANDS, resolvePipeline } from '../../cli/pipeline-commands';
import { captureOutput } from './support';

const repo = resolve(__dirname, '../..');

describe.each(PIPELINE_COMMANDS.map((command) => [command.name, command] as const))('kafka-infra %s', (name, command) => {
  it('passes its arguments to the pipeline and returns its exit code', async () => {
    const calls: (readonly string[])[] = [];
    const loaded = { [command.exportName]: async (argv: readonly string[]) => (calls.push(argv), 3) };
    const run = resolvePipeline(command, (path) => (path === command.modulePath ? loaded : undefined));
    expect(await run?.(['--base', 'a', '--head', 'b'])).toBe(3);
    expect(calls).toEqual([['--base', 'a', '--head', 'b']]);
  });

  it('treats only the pipeline module itself as missing; an error inside it surfaces', () => {
    const missing = Object.assign(new Error(`Cannot find module '${command.modulePath}'`), { code: 'MODULE_NOT_FOUND' });
    expect(resolvePipeline(command, () => { throw missing; })).toBeUndefined();
    const inner = Object.assign(new Error("Cannot find module 'left-pad'"), { code: 'MODULE_NOT_FOUND' });
    expect(() => resolvePipeline(command, () => { throw inner; })).toThrow('left-pad');
  });

  const moduleFile = join(repo, 'cli', `${command.modulePath}.ts`);
  const present = existsSync(moduleFile);
  // Skipped only while the pipeline's module does not exist yet in this checkout.
  (present ? it : it.skip)(`dispatches to ${command.exportName} of ${command.modulePath.replace('../', '')}.ts`, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(moduleFile) as Record<string, unknown>;
    expect(resolvePipeline(command)).toBe(module[command.exportName]);
  });

  (present ? it.skip : it)(`says ${name} is not available while ${command.modulePath.replace('../', '')}.ts does not exist (exit 1)`, async () => {
    const output = captureOutput();
    expect(await runCli([name], output)).toBe(1);
    expect(output.stderr).toEqual([`kafka-infra: ${name} is not available in this version of kafka-typed-infra`]);
  });
});
