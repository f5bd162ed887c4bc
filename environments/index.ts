import type { EnvironmentSpec } from '../constructs/kafka';
import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';

/** Every environment `npm run synth` builds. To add one: write `environments/<name>.ts` and list it here. */
export const environments: readonly EnvironmentSpec[] = [dev, staging, prod];
