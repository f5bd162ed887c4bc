/**
 * Every shell script we ship is a real `.sh` file under constructs/: shellcheck finds nothing in it at its default
 * severity, and what lands in the synthesized output (cloud-init files, ConfigMap entries, `sh -c` commands, the
 * scripts of dist/<env>/operations/) is
 * byte for byte one of those files. Parameters travel as env files, plan files or container environment only.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { environments } from '../../environments';
import { synthesizeEnvironment } from '../k8s/full-synth';
import { sourceFiles } from '../support/import-graph';
import { describeWithValidator } from '../support/validators';
import { BOOTSTRAP_SCRIPT, TLS_SCRIPT, VM_FILES } from '../../constructs/kafka/vm/bootstrap';
import { LOG_SHIPPING_FILES, LOG_SHIPPING_SCRIPT } from '../../constructs/kafka/vm/log-shipping';
import { PLAN_FILES, RECONCILE_SCRIPT } from '../../constructs/kafka/security/reconcile-script';
import { KAFKA_ADMIN_LIBRARY, ROLLER_FILES, ROLLER_SCRIPT } from '../../constructs/kafka/operations/kubernetes-roller';

const repo = join(__dirname, '../..');
const scriptFiles = sourceFiles(join(repo, 'constructs'), '.sh').map((file) => relative(repo, file)).sort();
const scriptTexts = new Map(scriptFiles.map((file) => [readFileSync(join(repo, file), 'utf8'), file]));

/** Every script-looking text of an environment's output, with where it was found. */
function shippedScripts(files: ReadonlyMap<string, string>, objects: readonly Record<string, any>[]): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  for (const [path, text] of files) {
    if (path.startsWith('operations/') && path.endsWith('.sh')) found.push({ where: path, text });
    if (!path.endsWith('.cloud-init.yaml')) continue;
    const userData = parse(text.replace(/^#cloud-config\n/, '')) as { write_files: { path: string; content: string }[] };
    for (const file of userData.write_files.filter((entry) => entry.path.endsWith('.sh'))) found.push({ where: `${path}:${file.path}`, text: file.content });
  }
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name}`;
    if (object.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries<string>(object.data ?? {})) if (key.endsWith('.sh')) found.push({ where: `${name}:${key}`, text: value });
    }
    const pod = object.spec?.template?.spec ?? object.spec?.jobTemplate?.spec?.template?.spec;
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      const command: string[] = [...(container.command ?? []), ...(container.args ?? [])];
      const inline = command.indexOf('-c');
      if (inline >= 0 && /^(ba)?sh$/.test(command[0] ?? '')) found.push({ where: `${name}:${container.name}`, text: command[inline + 1] });
    }
  }
  return found;
}

const outputs = environments.map((spec) => {
  const { files, objects } = synthesizeEnvironment(spec);
  return { env: spec.name, scripts: shippedScripts(files, objects) };
});

it('keeps the scripts in .sh files beside the code that parameterises them', () => {
  expect(scriptFiles).toEqual([
    'constructs/kafka/kubernetes/scripts/kafka-format.sh',
    'constructs/kafka/kubernetes/scripts/kafka-start.sh',
    'constructs/kafka/monitoring/scripts/jmx-exporter-install.sh',
    'constructs/kafka/monitoring/scripts/kafka-exporter-sasl-args.sh',
    'constructs/kafka/operations/scripts/controller-quorum.sh',
    'constructs/kafka/operations/scripts/kafka-admin.sh',
    'constructs/kafka/operations/scripts/reassign.sh',
    'constructs/kafka/operations/scripts/roll-kubernetes.sh',
    'constructs/kafka/operations/scripts/roll-vms.sh',
    'constructs/kafka/security/scripts/reconcile.sh',
    'constructs/kafka/vm/scripts/kafka-bootstrap.sh',
    'constructs/kafka/vm/scripts/kafka-log-shipping.sh',
    'constructs/kafka/vm/scripts/kafka-reconcile-run.sh',
    'constructs/kafka/vm/scripts/kafka-tls.sh',
  ]);
});

it.each(outputs.map(({ env, scripts }) => [env, scripts] as const))('ships in %s only scripts that are byte for byte a .sh file', (_, scripts) => {
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter(({ text }) => !scriptTexts.has(text)).map(({ where }) => where)).toEqual([]);
});

it('ships every .sh file in some environment (no dead script)', () => {
  const shipped = new Set(outputs.flatMap(({ scripts }) => scripts.map(({ text }) => scriptTexts.get(text))));
  expect(scriptFiles.filter((file) => !shipped.has(file))).toEqual([]);
});

it('reads its parameters from the files the model writes for it', () => {
  for (const script of [BOOTSTRAP_SCRIPT, TLS_SCRIPT, LOG_SHIPPING_SCRIPT]) expect(script).toContain(`\n. ${VM_FILES.bootstrapEnv}\n`);
  expect(BOOTSTRAP_SCRIPT).toContain(`\n${VM_FILES.tlsScript}\n`);
  expect(BOOTSTRAP_SCRIPT).toContain(`  ${LOG_SHIPPING_FILES.script} || `);
  expect(LOG_SHIPPING_SCRIPT).toContain(`-c file:${LOG_SHIPPING_FILES.agentConfig} `);
  for (const file of Object.values(PLAN_FILES)) expect(RECONCILE_SCRIPT).toContain(`"$PLAN/${file}"`);
  for (const file of [ROLLER_FILES.settings, ROLLER_FILES.steps, ROLLER_FILES.nodes, ROLLER_FILES.features, ROLLER_FILES.library]) {
    expect(ROLLER_SCRIPT).toContain(`"$PLAN_DIR/${file}"`);
  }
  expect(ROLLER_SCRIPT).toContain(`"$PLAN_DIR/${ROLLER_FILES.featureLevels}"`);
  expect(KAFKA_ADMIN_LIBRARY).toContain(`"$ADMIN_DIR/${ROLLER_FILES.connection}"`);
});

const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
describeWithValidator('shellcheck', shellcheck.status === 0 ? undefined : 'shellcheck is not installed (Debian package shellcheck)', () => {
  it.each(scriptFiles)('finds nothing in %s at its default severity', (file) => {
    const result = spawnSync('shellcheck', ['--format=gcc', join(repo, file)], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('reports a planted defect (so a clean result means something)', () => {
    const result = spawnSync('shellcheck', ['--format=gcc', '-'], { input: '#!/bin/sh\nrm -rf $dir/*\n', encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/SC2086/);
  });
});
