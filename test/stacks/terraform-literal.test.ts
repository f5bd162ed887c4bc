import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hclStringLiteral } from '../../constructs/aws/terraform-expression';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { terraformUnavailableReason } from '../support/terraform';
import { describeWithValidator } from '../support/validators';

afterAll(removeTempDirs);

// `terraform validate` of the option combinations in test/support/terraform-variants.ts runs with the example
// stacks in test/terraform/validate.test.ts (one provider start for all).
describeWithValidator('Terraform string literals', terraformUnavailableReason(), () => {
  it('evaluates escaped user data back to the exact text (Terraform itself decodes the literal)', () => {
    const text = 'a "quoted" \\ back\\slash\n${tls:/etc/kafka/tls:tls.crt} %{ if } $${kept} $HOME\ttab\r\n';
    const dir = makeTempDir('tf-literal-');
    writeFileSync(join(dir, 'main.tf'), `output "text" {\n  value = ${hclStringLiteral(text)}\n}\n`);
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
    execFileSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
    execFileSync('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
    const output = JSON.parse(execFileSync('terraform', ['output', '-json', 'text'], { cwd: dir, env, encoding: 'utf8' }));
    expect(output).toBe(text);
  }, 60_000);
});
