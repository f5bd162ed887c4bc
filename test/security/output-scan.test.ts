import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { synthesize } from '../../synth/synthesize';
import { ENVIRONMENTS, aProdSpecWithUsers } from './fixtures';
import { isReference, scanTree } from './support/output-scanner';

/** Item 7 of the security issue: nothing secret in any synthesized file, only references. */
describe('output scan', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  function synthesizeInto(environments: Parameters<typeof synthesize>[0]['environments']): string {
    const root = mkdtempSync(join(tmpdir(), 'security-scan-'));
    roots.push(root);
    synthesize({ rootDir: root, environments });
    return root;
  }

  test.each([
    ['the project environments', () => [ENVIRONMENTS.dev, ENVIRONMENTS.staging, ENVIRONMENTS.prod]],
    ['prod with application users, an existing secret and client namespaces', () => [aProdSpecWithUsers()]],
  ])('%s: every file under cdktf.out/ and dist/ is free of secrets', (_, environments) => {
    const root = synthesizeInto(environments());
    const { findings, files } = scanTree(root, ['cdktf.out', 'dist']);
    expect(files).toBeGreaterThan(20);
    expect(findings).toEqual([]);
  });

  describe('the scanner catches what it is for', () => {
    const root = mkdtempSync(join(tmpdir(), 'security-plant-'));
    roots.push(root);
    const plant = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    // Built from pieces so this test file itself does not look like it holds a key.
    const pemHeader = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');
    plant('dist/x/kubernetes/leak.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: leak }\ndata:\n  tls.key: |\n    ${pemHeader}\n    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n`);
    plant('dist/x/kafka/node.properties', 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="hunter2hunter2";\n');
    plant('dist/x/kafka/keystore.properties', 'ssl.keystore.password=changeit\nssl.truststore.certificates=${tls:/etc/kafka/tls:ca.crt}\n');
    plant('dist/x/kubernetes/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: abc\n');
    plant('dist/x/kubernetes/env.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      env:\n        - name: ADMIN_PASSWORD\n          value: s3cret\n');
    plant('cdktf.out/stacks/x-secrets/cdk.tf.json', JSON.stringify({ resource: { aws_secretsmanager_secret_version: { v: { secret_string: 'literal-password' } } } }));
    plant('cdktf.out/stacks/x-keys/cdk.tf.json', JSON.stringify({ provider: { aws: [{ access_key: ['AKIA', 'ABCDEFGHIJKLMNOP'].join('') }] } }));
    plant('dist/x/kafka/clean.properties', 'sasl.jaas.config=x required username="admin" password="${file:/etc/creds:password}";\nssl.keystore.key=${tls:/etc/kafka/tls:tls.key}\n');
    plant('dist/x/kubernetes/clean.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: empty\ntype: Opaque\n---\nkind: Pod\nspec:\n  containers:\n    - env:\n        - name: KAFKA_ADMIN_PASSWORD\n          valueFrom: { secretKeyRef: { name: s, key: password } }\n');

    const { findings } = scanTree(root, ['cdktf.out', 'dist']);
    const found = (file: string, rule: string) => findings.some((finding) => finding.file === file && finding.rule === rule);

    test('a planted private key', () => expect(found('dist/x/kubernetes/leak.yaml', 'private key')).toBe(true));
    test('a planted password in a JAAS line', () => expect(found('dist/x/kafka/node.properties', 'literal password')).toBe(true));
    test('a key store password in properties', () => expect(found('dist/x/kafka/keystore.properties', 'literal password')).toBe(true));
    test('a Secret carrying data', () => expect(found('dist/x/kubernetes/secret.yaml', 'Secret with data')).toBe(true));
    test('a literal secret in a container env', () => expect(found('dist/x/kubernetes/env.yaml', 'literal password')).toBe(true));
    test('a literal Terraform secret string', () => expect(found('cdktf.out/stacks/x-secrets/cdk.tf.json', 'literal password')).toBe(true));
    test('an AWS access key', () => expect(found('cdktf.out/stacks/x-keys/cdk.tf.json', 'AWS access key')).toBe(true));
    test('references and empty Secrets pass', () => {
      expect(findings.filter((finding) => finding.file.includes('clean'))).toEqual([]);
      expect(isReference('${ephemeral.aws_secretsmanager_random_password.x.random_password}')).toBe(true);
      expect(isReference('hunter2')).toBe(false);
    });
  });
});
