import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TLS_SCRIPT, VM_FILES, bootstrapEnv } from '../../constructs/kafka/vm/bootstrap';
import { aVmStagingSpec } from '../fixtures/environments';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { describeWithValidator } from '../support/validators';
import { modelOf } from './support';

afterAll(removeTempDirs);

const opensslMissing = spawnSync('openssl', ['version']).status === 0 ? undefined : 'openssl is not on PATH';

/**
 * Runs the node's certificate script for real against a throw-away CA: only `aws` (Secrets Manager) and the
 * ownership flags of `install` (no kafka group here) are stubbed.
 */
describeWithValidator('kafka-tls.sh with a bring-your-own CA', opensslMissing, () => {
  const model = modelOf(aVmStagingSpec());
  const node = model.brokers[0];
  const dir = makeTempDir('vm-tls-');
  const tlsDir = join(dir, 'tls');
  const bin = join(dir, 'bin');
  const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: dir, stdio: 'pipe' });

  beforeAll(() => {
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=test-ca']);
    writeFileSync(join(dir, 'ca.json'), JSON.stringify({ certificate: readFileSync(join(dir, 'ca.crt'), 'utf8'), privateKey: readFileSync(join(dir, 'ca.key'), 'utf8') }));
    run('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'aws'), `#!/bin/bash\n[ "$1 $2" = "secretsmanager get-secret-value" ] || exit 99\ncat '${join(dir, 'ca.json')}'\n`);
    writeFileSync(join(bin, 'install'), '#!/bin/bash\nargs=()\nwhile [ $# -gt 0 ]; do case "$1" in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac; done\nexec /usr/bin/install "${args[@]}"\n');
    chmodSync(join(bin, 'aws'), 0o755);
    chmodSync(join(bin, 'install'), 0o755);
    writeEnv({});
    writeFileSync(join(dir, 'kafka-tls.sh'), TLS_SCRIPT.replace(VM_FILES.bootstrapEnv, join(dir, 'bootstrap.env')));
  });

  const metricsDir = join(dir, 'metrics');
  /** bootstrap.env as cloud-init writes it, with the node's directories in the temp dir and `overrides` applied. */
  const writeEnv = (overrides: Record<string, string>) => {
    const values = { TLS_DIR: tlsDir, TLS_METRICS_DIR: metricsDir, ...overrides };
    const env = Object.entries(values).reduce((text, [name, value]) => text.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}='${value}'`), bootstrapEnv(model, node));
    writeFileSync(join(dir, 'bootstrap.env'), env);
  };
  const runScript = () => spawnSync('bash', [join(dir, 'kafka-tls.sh')], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  const metrics = () => readFileSync(join(metricsDir, 'kafka-tls.prom'), 'utf8');
  const notAfter = () => Number(/^kafka_tls_certificate_expiry_timestamp_seconds (\d+)$/m.exec(metrics())?.[1]);

  it('issues a certificate for the node name with the role principal, signed by the CA, and a PKCS#8 key', () => {
    const result = runScript();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.stringContaining(`issued a certificate for ${node.host}`) });
    expect(readFileSync(join(tlsDir, 'tls.key'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(execFileSync('openssl', ['verify', '-CAfile', join(tlsDir, 'ca.crt'), join(tlsDir, 'tls.crt')], { encoding: 'utf8' })).toContain(': OK');
    const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(tlsDir, 'tls.crt')], { encoding: 'utf8' });
    expect(text).toContain('Subject: CN = kafka-broker');
    expect(text).toContain(`DNS:${node.host}`);
    expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/CA:FALSE/);
  });

  it('keeps a certificate that is far from expiry and reports its expiry for the alerts', () => {
    const before = readFileSync(join(tlsDir, 'tls.crt'), 'utf8');
    expect(runScript().status).toBe(0);
    expect(readFileSync(join(tlsDir, 'tls.crt'), 'utf8')).toBe(before);
    expect(metrics()).toMatch(/^kafka_tls_certificate_renewal_failed 0$/m);
    expect(notAfter()).toBeGreaterThan(Date.now() / 1000 + 300 * 86400);
  });

  it('starts with the current certificate when a renewal fails, and says so in the metrics', () => {
    const before = readFileSync(join(tlsDir, 'tls.crt'), 'utf8');
    // Due for renewal (a window longer than the certificate's life), and the CA cannot be read.
    writeEnv({ TLS_RENEW_SECONDS: String(400 * 86400), CA_SECRET: 'unreadable' });
    writeFileSync(join(bin, 'aws'), '#!/bin/bash\necho "AccessDeniedException" >&2\nexit 255\n');
    const result = runScript();
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('WARNING: renewing the certificate');
    expect(readFileSync(join(tlsDir, 'tls.crt'), 'utf8')).toBe(before);
    expect(metrics()).toMatch(/^kafka_tls_certificate_renewal_failed 1$/m);
  });

  it('fails when the renewal fails and no valid certificate is left', () => {
    rmSync(tlsDir, { recursive: true, force: true });
    const result = runScript();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no valid one to fall back on');
    expect(metrics()).toMatch(/^kafka_tls_certificate_renewal_failed 1$/m);
  });
});
