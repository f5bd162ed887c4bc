/**
 * README's validation example is what synth prints: the same change to environments/prod.ts, the same lines
 * (bin/synth.ts prints "synth failed, nothing was written." and the error's message).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecValidationError } from '../../../constructs/kafka/validation/problems';
import { validateEnvironments } from '../../../constructs/kafka/validation/validate';
import { environments } from '../../../environments';

it('prints exactly the problems README shows for controllers.count 4 and replicationFactor 9 in prod', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Validation'));
  const shown = /```\n(synth failed[\s\S]*?)\n```/.exec(section)?.[1];
  expect(shown).toBeDefined();
  const changed = environments.map((spec) =>
    spec.name === 'prod' ? { ...spec, kafka: { ...spec.kafka, controllers: { ...spec.kafka.controllers, count: 4 }, replicationFactor: 9 } } : spec,
  );
  let printed = '';
  try {
    validateEnvironments(changed);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecValidationError);
    printed = `synth failed, nothing was written.\n${(error as Error).message}`;
  }
  expect(printed).toBe(shown);
});
