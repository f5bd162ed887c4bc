/**
 * Property, part 2 of 2 (two files so jest's two workers share the runs): generated valid specs validate and
 * synthesize, in memory, to output that passes the Kubernetes schemas and holds no undefined, NaN, [object Object]
 * or misplaced null. See synthesized-output.ts.
 */
import { checkValidSpecs } from './synthesized-output';

const SEED = 22011;
const RUNS = 150;

it(`synthesizes ${RUNS} generated valid specs (seed ${SEED}) into clean, schema-valid output`, () => {
  const counts = checkValidSpecs(SEED, RUNS);
  console.log(
    `valid specs, part 2: ${counts.specs} generated (seed ${SEED}; ${Object.entries(counts.runtimes).map(([kind, n]) => `${n} ${kind}`).join(', ')}), all valid; ` +
      `${counts.kubernetesObjects} Kubernetes objects (${counts.schemaChecked} distinct, schema-checked), ${counts.files} files, ${counts.terraformStacks} Terraform stacks scanned`,
  );
  expect(counts.specs).toBe(RUNS);
});
