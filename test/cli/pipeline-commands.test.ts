import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PIPELINE_COMMANDS, resolvePipeline } from '../../cli/pipeline-commands';

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
  it(`dispatches to ${command.exportName} of ${command.modulePath.replace('../', '')}.ts`, () => {
    expect(existsSync(moduleFile)).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(moduleFile) as Record<string, unknown>;
    expect(typeof module[command.exportName]).toBe('function');
    expect(resolvePipeline(command)).toBe(module[command.exportName]);
  });

  it(`says ${name} is not available when its module is missing (exit 1)`, async () => {
    expect(resolvePipeline(command, () => { throw Object.assign(new Error(`Cannot find module '${command.modulePath}'`), { code: 'MODULE_NOT_FOUND' }); })).toBeUndefined();
  });
});
