/**
 * What only a real apply shows: a planted defect that `terraform validate` accepts but AWS rejects (a subnet outside
 * its VPC's range) fails the rehearsal with the stack and the resource named; a difference between the state and the
 * cloud that the gap list does not explain fails the converge check; and the harness's planChange (apply a base
 * output, plan a head output) reports creations, updates and replacements as such.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, emulatorRequest, startEmulator } from '../../rehearse/emulator';
import { planChange, planStack } from '../../rehearse/harness';
import { effectiveChanges } from '../../rehearse/plan';
import { convergence } from '../../rehearse/rehearsal';
import { RehearsalError, stopRunningCommands, terraformSetup } from '../../rehearse/terraform';
import { environments } from '../../environments';
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

  it('terraform validate accepts the planted subnet', async () => {
    const diagnostics = await validateTerraformStacks(join(planted.root, 'cdktf.out', 'stacks'));
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
    const setup = terraformSetup(join(workDir, 'terraform'), emulator!.endpoint);
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

  it('planChange applies a base output and returns the head plan per stack: create, in-place update and replacement', async () => {
    // A one-stack output of SSM parameters (no provider waiters, so the harness is tested in seconds, not minutes):
    // the head retags one (update), renames another (a new name forces a replacement) and adds a third (create).
    // The environments' own update rounds go through the same Terraform runs in environments.test.ts.
    const parameter = (name: string, round: string) => ({ name: `/rehearsal-harness/${name}`, type: 'String', value: name, tags: { round } });
    const base = harnessRoot({ retagged: parameter('retagged', 'base'), renamed: parameter('renamed', 'base') });
    const head = harnessRoot({ retagged: parameter('retagged', 'head'), renamed: parameter('renamed-again', 'base'), added: parameter('added', 'head') });
    const planned = await planChange({ emulator: emulator!, baseRoot: base, headRoot: head, environment: 'harness', destroyAfterwards: true });
    expect(Object.keys(planned)).toEqual(['harness-parameters']);
    const actions = Object.fromEntries(effectiveChanges(planned['harness-parameters']).map((change) => [change.address, { actions: change.actions, replace: change.replace }]));
    expect(actions).toEqual({
      'aws_ssm_parameter.added': { actions: ['create'], replace: false },
      'aws_ssm_parameter.retagged': { actions: ['update'], replace: false },
      'aws_ssm_parameter.renamed': { actions: ['delete', 'create'], replace: true },
    });
    expect(planned['harness-parameters'].find((change) => change.address === 'aws_ssm_parameter.retagged')!.changedAttributes).toEqual(
      expect.arrayContaining(['tags']),
    );
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

/** A synth root (cdktf.out/ with its manifest) of one stack, `harness-parameters`, holding the given SSM parameters. */
function harnessRoot(parameters: Record<string, unknown>): string {
  const root = makeTempDir('harness-');
  const stack = 'harness-parameters';
  mkdirSync(join(root, 'cdktf.out', 'stacks', stack), { recursive: true });
  writeFileSync(
    join(root, 'cdktf.out', 'manifest.json'),
    JSON.stringify({ stacks: { [stack]: { name: stack, dependencies: [], synthesizedStackPath: `stacks/${stack}/cdk.tf.json`, workingDirectory: `stacks/${stack}` } } }),
  );
  writeFileSync(
    join(root, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'),
    JSON.stringify({
      terraform: {
        backend: { s3: { bucket: 'rehearsal-harness-state', key: `${stack}.tfstate`, region: 'eu-west-1', encrypt: true } },
        required_providers: { aws: { source: 'aws', version: '5.100.0' } },
      },
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_ssm_parameter: parameters },
    }),
  );
  return root;
}
