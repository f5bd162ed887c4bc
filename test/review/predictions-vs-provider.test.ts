import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { environments } from '../../environments';
import type { ResourceAction } from '../../review/terraform/terraform-diff';
import { removeTempDirs } from '../support/temp-dirs';
import { review, synthRoot, withShippedChange } from './support';

/**
 * The replacement table against the real provider: the rehearsal harness (rehearse/harness.ts) applies the base
 * output to the AWS emulator and plans the head output with terraform and hashicorp/aws 5.100.0; each resource's
 * planned action must equal the predicted one. The harness lives on another branch until merged, so it is loaded
 * with require at run time (tsc does not need the module) and the suite is skipped only while the file is absent.
 * The dev network stack: it has no upstream stack, and the emulator is faithful for it (design.md lists its gaps for
 * instances and node groups; the harness takes its known artifacts out). One plan keeps the suite's time down (an
 * apply and a plan take minutes on a loaded machine): a new VPC range (replacements that cascade through
 * references), a zone added (creations) and a tag changed (in-place updates of what is not replaced, and policies
 * whose documents Terraform reads during apply).
 */

const harnessPath = resolve(__dirname, '..', '..', 'rehearse', 'harness.ts');
const describeWithHarness = existsSync(harnessPath) ? describe : describe.skip;

type PlanAction = 'create' | 'read' | 'update' | 'delete' | 'no-op';
interface PlannedResourceChange { readonly address: string; readonly type: string; readonly actions: readonly PlanAction[]; readonly replace: boolean }
interface Emulator { readonly endpoint: string; readonly port: number; stop(): Promise<void> }
interface Harness {
  startEmulator(): Promise<Emulator>;
  planChange(options: { emulator: Emulator; baseRoot: string; headRoot: string; environment: string; stacks?: readonly string[]; workDir?: string }): Promise<Record<string, PlannedResourceChange[]>>;
}

function plannedAction(change: PlannedResourceChange): ResourceAction | undefined {
  if (change.replace || (change.actions.includes('delete') && change.actions.includes('create'))) return 'replace';
  if (change.actions.includes('create')) return 'create';
  if (change.actions.includes('delete')) return 'delete';
  if (change.actions.includes('update')) return 'update';
  return undefined;
}

const MUTATIONS: readonly [string, (draft: any) => void][] = [
  ['a new VPC range, a zone added and a tag changed', (draft) => {
    draft.aws.vpcCidr = '10.12.0.0/16';
    draft.aws.availabilityZones = [...draft.aws.availabilityZones, 'eu-west-1b'];
    draft.tags.team = 'streaming';
  }],
];

describeWithHarness('replacement predictions equal the provider’s plan (rehearsal harness, AWS emulator)', () => {
  jest.setTimeout(600_000);
  let harness: Harness;
  let emulator: Emulator;
  let base: string;

  beforeAll(async () => {
    // Loaded here, not at collection: jest runs a skipped describe's body too.
    harness = require(harnessPath);
    emulator = await harness.startEmulator();
    base = synthRoot(environments, ['dev']);
  });
  afterAll(async () => {
    await emulator?.stop();
    removeTempDirs();
  });

  test.each(MUTATIONS)('%s', async (_title, change) => {
    const head = synthRoot(withShippedChange('dev', change), ['dev']);
    const predicted = new Map(review(base, head, ['dev']).environments[0].terraform.filter((resource) => resource.stack === 'dev-network').map((resource) => [resource.address, resource.action]));
    const plan = await harness.planChange({ emulator, baseRoot: base, headRoot: head, environment: 'dev', stacks: ['dev-network'], workDir: join(head, '.rehearse') });
    const planned = new Map(
      (plan['dev-network'] ?? [])
        .map((resource) => [resource.address, plannedAction(resource)] as const)
        .filter((entry): entry is readonly [string, ResourceAction] => entry[1] !== undefined),
    );
    expect(Object.fromEntries([...predicted].sort())).toEqual(Object.fromEntries([...planned].sort()));
    // Every kind of action is exercised, so a table that got replacement wrong in either direction fails here.
    expect(new Set(predicted.values())).toEqual(new Set(['create', 'update', 'replace']));
  });
});
