/**
 * Every shipped environment, rehearsed for real against the AWS emulator (moto) and back: apply in cdktf's order,
 * a second plan that is empty, the update round without replacement, the data protections, destroy, re-create.
 * dev goes through `cdktf deploy` / `cdktf destroy` (the user's path); staging and prod through Terraform per stack.
 * All three share one emulator and run at the same time (their names and state keys are their own).
 * Right after convergence, each environment also plans the review's prediction heads (test/review/provider-predictions.ts)
 * against its applied state: the review's predicted action per resource must equal the provider's.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '../../rehearse/emulator';
import { EMULATOR_GAPS } from '../../rehearse/emulator-gaps';
import { type EnvironmentRehearsal, rehearseEnvironment } from '../../rehearse/rehearsal';
import { rehearsalSummary } from '../../rehearse/report';
import { stopRunningCommands, terraformSetup } from '../../rehearse/terraform';
import { environments } from '../../environments';
import type { HeadRoot } from '../../rehearse/head-plans';
import type { ResourceAction } from '../../review/terraform/terraform-diff';
import { PREDICTION_HEADS, compareHead, headRoots } from '../review/provider-predictions';
import { describeWithValidator } from '../support/validators';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { REHEARSAL_TIMEOUT_MS, expectEmulatorStopped, rehearsalUnavailableReason, withPriority } from './support';

const SHIPPED = environments.map((spec) => spec.name);
/** The rehearsal's priority over the other suites (see withPriority): its steps take a core as they need one. */
const REHEARSAL_NICENESS = -10;

describeWithValidator('rehearsal of every shipped environment against moto', rehearsalUnavailableReason(), () => {
  let emulator: Emulator | undefined;
  const results = new Map<string, PromiseSettledResult<EnvironmentRehearsal>>();
  const progress: string[] = [];
  /** Per environment: the heads planned against the applied shipped output (the predictions start from that output). */
  const headsOf = new Map<string, HeadRoot[]>();
  /** The provider processes the rehearsals kept, by PID, as their last one ended. */
  let providersLeft: number[] = [];

  beforeAll(() => withPriority(REHEARSAL_NICENESS, rehearseAll), REHEARSAL_TIMEOUT_MS);

  async function rehearseAll(): Promise<void> {
    emulator = await startEmulator();
    const workDir = makeTempDir('rehearse-');
    const setup = terraformSetup(join(workDir, 'terraform'), emulator.endpoint);
    for (const environment of SHIPPED) headsOf.set(environment, headRoots(environment, join(workDir, 'predictions', environment)));
    const settled = await Promise.allSettled(
      SHIPPED.map((environment) =>
        rehearseEnvironment({
          emulator: emulator!,
          setup,
          environments,
          environment,
          heads: headsOf.get(environment)!,
          workDir: join(workDir, environment),
          via: environment === 'dev' ? 'cdktf' : 'terraform',
          onProgress: (line) => {
            progress.push(line);
            // REHEARSE_PROGRESS=<file> follows a long run as it happens.
            if (process.env.REHEARSE_PROGRESS) appendFileSync(process.env.REHEARSE_PROGRESS, `${new Date().toISOString()} ${line}\n`);
          },
        }),
      ),
    );
    SHIPPED.forEach((environment, index) => results.set(environment, settled[index]));
    providersLeft = setup.providers?.keptPids() ?? [];
  }

  afterAll(async () => {
    stopRunningCommands();
    await emulator?.stop();
    removeTempDirs();
  });

  const rehearsal = (environment: string): EnvironmentRehearsal => {
    const result = results.get(environment);
    if (!result) throw new Error(`${environment} was not rehearsed`);
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  };

  it.each(SHIPPED)('%s: every stack applies, converges, takes the update round in place and is destroyed', (environment) => {
    const { stacks } = rehearsal(environment);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      expect(stack.resources).toBeGreaterThan(0);
      expect(stack.converged).toMatch(/^yes/);
      expect(stack.update).not.toBe('–');
      expect(stack.destroySeconds).toBeGreaterThan(0);
    }
  });

  it('dev went through cdktf deploy and cdktf destroy, the documented path', () => {
    expect(rehearsal('dev').via).toBe('cdktf');
    expect(progress.some((line) => line.startsWith('[dev] cdktf deploy: dev-network'))).toBe(true);
    expect(progress.some((line) => line.startsWith('[dev] cdktf destroy: dev-network'))).toBe(true);
  });

  it('staging: new brokers and their volumes are added, existing ones updated in place (never replaced)', () => {
    const kafka = rehearsal('staging').stacks.find((stack) => stack.stack === 'staging-kafka')!;
    // One more broker per zone in three zones: an instance, a data volume, its attachment and a DNS record each.
    expect(kafka.update).toMatch(/^\+12 ~\d+$/);
  });

  it('prod: the node groups join the EKS cluster created first, and grow in place', () => {
    const nodes = rehearsal('prod').stacks.find((stack) => stack.stack === 'prod-nodes')!;
    expect(nodes.resources).toBeGreaterThan(0);
    expect(nodes.update).toMatch(/~\d+/);
    expect(nodes.update).not.toMatch(/\+/);
  });

  it('the new application user gets its secret in the update round', () => {
    for (const environment of ['staging', 'prod']) {
      const secrets = rehearsal(environment).stacks.find((stack) => stack.stack === `${environment}-secrets`)!;
      expect(secrets.update).toMatch(/^\+2/); // the secret and its AWS-generated password version
    }
  });

  it('outside production the secrets are created again right after the destroy', () => {
    expect(rehearsal('staging').recreate).toMatch(/^staging-secrets created again and destroyed/);
  });

  it('in production the recovery window holds: the destroyed secrets stay recoverable', () => {
    const prod = rehearsal('prod');
    expect(prod.recreate).toMatch(/^blocked by the recovery window of /);
    expect(prod.stacks.find((stack) => stack.stack === 'prod-secrets')!.protections).toEqual(
      expect.arrayContaining([expect.stringMatching(/^secret .+ recoverable for 30 d$/)]),
    );
  });

  // The review's replacement table against the real provider (test/review/provider-predictions.ts explains the heads).
  const plannedActions = new Set<ResourceAction>();
  it.each(PREDICTION_HEADS.map((head) => [head.label, head.environment] as const))('replacement predictions equal the provider’s plan: %s', (label, environment) => {
    const head = headsOf.get(environment)!.find((candidate) => candidate.label === label)!;
    const { shippedRoot, heads } = rehearsal(environment);
    const plan = heads?.find((candidate) => candidate.label === label);
    if (!plan) throw new Error(`${environment} did not plan head ${label}`);
    expect(plan.stacks.length).toBeGreaterThan(0);
    const comparisons = compareHead(shippedRoot, head, plan, environment);
    for (const [stack, comparison] of Object.entries(comparisons)) {
      expect({ stack, mismatches: comparison.mismatches }).toEqual({ stack, mismatches: [] });
      for (const action of comparison.actions) plannedActions.add(action);
    }
    console.log(`${label}: ${Object.entries(comparisons).map(([stack, comparison]) => `${stack} ${[...comparison.actions].sort().join('/')}${comparison.inventedByEmulator.length > 0 ? ` (emulator-invented updates: ${comparison.inventedByEmulator.length})` : ''}`).join('; ')}`);
  });

  it('the heads exercise creation, in-place update and replacement, so a table wrong in either direction fails', () => {
    expect([...plannedActions].sort()).toEqual(['create', 'replace', 'update']);
  });

  it('the summary prints the table and the emulator gap list', () => {
    const summary = rehearsalSummary(SHIPPED.map(rehearsal));
    expect(summary).toMatch(/^stack\s+resources\s+apply s\s+converged\s+update\s+destroy s/);
    for (const gap of EMULATOR_GAPS) expect(summary).toContain(gap.name);
    console.log(`${progress.join('\n')}\n\n${summary}`);
  });

  it('stops the emulator: no moto_server is left running', async () => {
    await expectEmulatorStopped(emulator!);
  });

  it('leaves no provider process running: each rehearsal stopped those it kept for its stack folders', () => {
    expect(providersLeft).toEqual([]);
  });
});
