import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environments } from '../../environments';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { terraformUnavailableReason, validateTerraformStacks } from '../support/terraform';
import { describeWithValidator } from '../support/validators';

afterAll(removeTempDirs);

describeWithValidator('terraform validate against hashicorp/aws 5.100.0', terraformUnavailableReason(), () => {
  const root = makeTempDir('tf-');
  synthesize({ rootDir: root, environments });
  const stacksDir = join(root, 'cdktf.out', 'stacks');
  let results: Map<string, { severity: string; summary: string; detail?: string }[]>;

  beforeAll(() => {
    results = validateTerraformStacks(stacksDir);
  }, 120_000);

  it('validated every synthesized stack', () => {
    expect([...results.keys()]).toEqual(expect.arrayContaining(['dev-network', 'staging-network', 'prod-network']));
  });

  it('finds no errors or warnings in any stack', () => {
    const problems = [...results].flatMap(([stack, diagnostics]) =>
      diagnostics.map((diagnostic) => `${stack}: ${diagnostic.severity}: ${diagnostic.summary} ${diagnostic.detail ?? ''}`),
    );
    expect(problems).toEqual([]);
  });

  it('would catch a stack the provider rejects', () => {
    const brokenRoot = makeTempDir('tf-broken-');
    synthesize({ rootDir: brokenRoot, environments, only: ['prod'] });
    const file = join(brokenRoot, 'cdktf.out', 'stacks', 'prod-network', 'cdk.tf.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    const [vpcName] = Object.keys(config.resource.aws_vpc);
    config.resource.aws_vpc[vpcName].enable_dns_hostname = true;
    writeFileSync(file, JSON.stringify(config));
    const diagnostics = validateTerraformStacks(join(brokenRoot, 'cdktf.out', 'stacks')).get('prod-network')!;
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', detail: expect.stringContaining('enable_dns_hostname') })]);
  }, 120_000);
});
