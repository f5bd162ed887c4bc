/**
 * A failure after validation (here: while rendering one environment's files) must leave the previous output as
 * it was and no staging folder behind.
 */
import { readdirSync } from 'node:fs';
import { environments } from '../../environments';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, readTree, removeTempDirs } from '../support/temp-dirs';

let failFor: string | undefined;

jest.mock('../../synth/environment-artifacts', () => {
  const actual = jest.requireActual('../../synth/environment-artifacts');
  return {
    environmentArtifacts: (model: { spec: { name: string } }) => {
      if (model.spec.name === failFor) throw new Error(`simulated failure while rendering ${model.spec.name}`);
      return actual.environmentArtifacts(model);
    },
  };
});

afterAll(removeTempDirs);

it('a run that fails half-way leaves the previous output untouched', () => {
  const root = makeTempDir('synth-');
  synthesize({ rootDir: root, environments });
  const before = readTree(root);

  failFor = 'prod';
  expect(() => synthesize({ rootDir: root, environments })).toThrow('simulated failure while rendering prod');
  expect(readTree(root)).toEqual(before);
  expect(readdirSync(root).sort()).toEqual(['cdktf.out', 'dist']);
});
