import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environments } from '../../environments';
import { synthesize } from '../../synth/synthesize';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { type TerraformDiagnostic, terraformUnavailableReason, validateTerraformStacks } from '../support/terraform';
import { synthesizeTerraformVariants } from '../support/terraform-variants';
import { describeWithValidator } from '../support/validators';

afterAll(removeTempDirs);

/**
 * A copy of a real stack with an attribute the provider does not have and a resource type it does not have: proves
 * the check can fail, on the attributes and on the types (Terraform gets the schemas of the stacks' types only).
 */
const BROKEN = 'zz-broken-prod-network';

describeWithValidator('terraform validate against hashicorp/aws 5.100.0', terraformUnavailableReason(), () => {
  const root = makeTempDir('tf-');
  synthesize({ rootDir: root, environments });
  const stacksDir = join(root, 'cdktf.out', 'stacks');
  const synthesized = JSON.parse(readFileSync(join(root, 'cdktf.out', 'manifest.json'), 'utf8')).stacks as Record<string, unknown>;
  let results: Map<string, TerraformDiagnostic[]>;

  let variants: string[];

  beforeAll(async () => {
    const variantsOut = makeTempDir('tf-variants-');
    variants = synthesizeTerraformVariants(variantsOut);
    for (const stack of variants) cpSync(join(variantsOut, 'stacks', stack), join(stacksDir, stack), { recursive: true });
    cpSync(join(stacksDir, 'prod-network'), join(stacksDir, BROKEN), { recursive: true });
    const file = join(stacksDir, BROKEN, 'cdk.tf.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    const [vpcName] = Object.keys(config.resource.aws_vpc);
    config.resource.aws_vpc[vpcName].enable_dns_hostname = true;
    config.resource.aws_vpc_flow_logz = { typo: { vpc_id: 'vpc-0123456789abcdef0' } };
    writeFileSync(file, JSON.stringify(config));
    // One run for the examples, the option variants and the broken copy: the provider's schema is loaded once.
    results = await validateTerraformStacks(stacksDir);
  }, 120_000);

  it('validated every synthesized stack of every environment', () => {
    expect(Object.keys(synthesized)).toEqual(expect.arrayContaining(['dev-network', 'staging-network', 'prod-network']));
    expect([...results.keys()]).toEqual(expect.arrayContaining(Object.keys(synthesized)));
  });

  it('validated the option combinations and standalone constructs too', () => {
    expect(variants).toEqual(expect.arrayContaining(['vmoffline-kafka', 'vmprod-kafka', 'eksown-nodes', 'secretsmix-secrets', 'standalone']));
    expect([...results.keys()]).toEqual(expect.arrayContaining(variants));
  });

  it('finds no errors or warnings in any synthesized stack', () => {
    const problems = [...results]
      .filter(([stack]) => stack !== BROKEN)
      .flatMap(([stack, diagnostics]) => diagnostics.map((d) => `${stack}: ${d.severity}: ${d.summary} ${d.detail ?? ''}`));
    expect(problems).toEqual([]);
  });

  it('would catch a stack the provider rejects', () => {
    // Terraform reports them in no fixed order.
    expect(results.get(BROKEN)).toHaveLength(2);
    expect(results.get(BROKEN)).toEqual(expect.arrayContaining([
      expect.objectContaining({ severity: 'error', detail: expect.stringContaining('enable_dns_hostname') }),
      expect.objectContaining({ severity: 'error', detail: 'The provider hashicorp/aws does not support resource type "aws_vpc_flow_logz".' }),
    ]));
  });
});
