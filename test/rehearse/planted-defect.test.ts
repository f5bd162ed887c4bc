/**
 * What only a real apply shows: a planted defect that `terraform validate` accepts but AWS rejects (a subnet outside
 * its VPC's range) fails the rehearsal with the stack and the resource named; a difference between the state and the
 * cloud that the gap list does not explain fails the converge check; and the harness's planChange (used by the
 * pull-request review) reports an update as updates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, emulatorRequest, startEmulator } from '../../rehearse/emulator';
import { planChange, planStack } from '../../rehearse/harness';
import { effectiveChanges } from '../../rehearse/plan';
import { convergence } from '../../rehearse/rehearsal';
import { RehearsalError, stopRunningCommands, terraformSetup } from '../../rehearse/terraform';
import { updateRoundSpec } from '../../rehearse/update-round';
import { environments } from '../../environments';
import { dev } from '../../environments/dev';
import { synthesize } from '../../synth/synthesize';
import { validateTerraformStacks } from '../support/terraform';
import { describeWithValidator } from '../support/validators';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { REHEARSAL_TIMEOUT_MS, expectEmulatorStopped, rehearsalUnavailableReason } from './support';

interface SubnetJson {
  cidr_block: string;
}

/** dev synthesized, with its Kafka subnet moved out of the VPC's 10.10.0.0/16. */
function plantedDev(): { root: string; subnet: string } {
  const root = makeTempDir('planted-');
  synthesize({ rootDir: root, environments, only: ['dev'] });
  const path = join(root, 'cdktf.out', 'stacks', 'dev-network', 'cdk.tf.json');
  const config = JSON.parse(readFileSync(path, 'utf8')) as { resource: { aws_subnet: Record<string, SubnetJson> } };
  const [subnet] = Object.keys(config.resource.aws_subnet);
  config.resource.aws_subnet[subnet].cidr_block = '10.99.0.0/24';
  writeFileSync(path, JSON.stringify(config, null, 2));
  return { root, subnet: `aws_subnet.${subnet}` };
}

describeWithValidator('the rehearsal catches what terraform validate cannot', rehearsalUnavailableReason(), () => {
  let emulator: Emulator | undefined;
  const planted = plantedDev();
  const workDir = makeTempDir('planted-work-');

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    stopRunningCommands();
    await emulator?.stop();
    removeTempDirs();
  });

  it('terraform validate accepts the planted subnet', () => {
    const diagnostics = validateTerraformStacks(join(planted.root, 'cdktf.out', 'stacks'));
    expect(diagnostics.get('dev-network')!.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  }, 120_000);

  it('the rehearsal fails at the planted subnet, naming the stack and the resource', async () => {
    const failure = await planChange({ emulator: emulator!, baseRoot: planted.root, headRoot: planted.root, environment: 'dev', workDir: join(workDir, 'planted') }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RehearsalError);
    const error = failure as RehearsalError;
    expect(error.stackName).toBe('dev-network');
    expect(error.step).toBe('apply');
    expect(error.resource).toBe(planted.subnet);
    expect(error.message).toContain(`dev-network: apply failed at ${planted.subnet}`);
  }, REHEARSAL_TIMEOUT_MS);

  it('a difference the gap list does not explain fails the converge check, naming the resource', async () => {
    // The planted apply left the VPC behind; change its tags behind Terraform's back, as a console user might.
    const setup = terraformSetup(join(workDir, 'terraform'));
    const dir = join(workDir, 'planted', 'base', 'cdktf.out', 'stacks', 'dev-network');
    const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as { resource: { aws_vpc: Record<string, unknown> } };
    const vpc = { address: `aws_vpc.${Object.keys(config.resource.aws_vpc)[0]}` };
    const vpcId = await vpcIdOf(emulator!, 'dev-kafka');
    await emulatorRequest(emulator!, {
      service: 'ec2',
      region: 'eu-west-1',
      method: 'POST',
      path: '/',
      contentType: 'application/x-www-form-urlencoded',
      body: `Action=CreateTags&Version=2016-11-15&ResourceId.1=${vpcId}&Tag.1.Key=team&Tag.1.Value=someone-else`,
    });
    const plan = await planStack(setup, 'dev-network', dir);
    const drifted = plan.changes.find((change) => change.address === vpc.address)!;
    expect(drifted.actions).toEqual(['update']);
    expect(drifted.changedAttributes).toEqual(expect.arrayContaining(['tags_all']));
    expect(() => convergence({ ...plan, changes: [drifted] })).toThrow(`dev-network: converge (second plan) failed at ${vpc.address}`);
  }, REHEARSAL_TIMEOUT_MS);

  it('planChange applies a base output and returns the head plan per stack: the update round updates dev in place', async () => {
    const base = makeTempDir('plan-base-');
    synthesize({ rootDir: base, environments, only: ['dev'] });
    const head = makeTempDir('plan-head-');
    synthesize({ rootDir: head, environments: environments.map((spec) => (spec.name === 'dev' ? updateRoundSpec(dev).spec : spec)), only: ['dev'] });
    const planned = await planChange({ emulator: emulator!, baseRoot: base, headRoot: head, environment: 'dev', destroyAfterwards: true });
    expect(Object.keys(planned)).toEqual(['dev-network']);
    const changes = effectiveChanges(planned['dev-network']);
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      expect(change.replace).toBe(false);
      expect(change.actions).toEqual(['update']);
    }
    expect(changes.map((change) => change.type)).toContain('aws_vpc');
  }, REHEARSAL_TIMEOUT_MS);

  it('stops the emulator: no moto_server is left running', async () => {
    await expectEmulatorStopped(emulator!);
  });
});

/** The id of the VPC tagged Name=<name> (the planted apply created it before failing). */
async function vpcIdOf(emulator: Emulator, name: string): Promise<string> {
  const xml = await emulatorRequest(emulator, {
    service: 'ec2',
    region: 'eu-west-1',
    method: 'POST',
    path: '/',
    contentType: 'application/x-www-form-urlencoded',
    body: `Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag:Name&Filter.1.Value.1=${name}`,
  });
  const id = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(xml)?.[1];
  if (!id) throw new Error(`no VPC named ${name} in the emulator:\n${xml.slice(0, 500)}`);
  return id;
}
