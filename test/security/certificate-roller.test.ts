import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLLER_SCRIPT, certificateRollerPlanFiles } from '../../constructs/kafka/security/certificate-roller';
import { ENVIRONMENTS, resolved } from './fixtures';
import { objectsOfKind, synthesizedObjects } from './support/manifests';

/** The roller script run against a stub kubectl: at most one eviction per run, only when every node is Ready. */
const work = mkdtempSync(join(tmpdir(), 'roller-'));
const rollerDir = join(work, 'roller');
mkdirSync(rollerDir);
writeFileSync(join(rollerDir, 'roll.sh'), ROLLER_SCRIPT);
for (const [file, content] of Object.entries(certificateRollerPlanFiles(resolved(ENVIRONMENTS.prod)))) writeFileSync(join(rollerDir, file), content);
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bin = join(work, 'bin');
mkdirSync(bin);
writeFileSync(
  join(bin, 'kubectl'),
  `#!/usr/bin/env bash
set -eu
S='${work}'
args="$*"
case "$args" in
  "get pods"*"component in (broker,controller)"*) cat "$S/ready" ;;
  "get statefulset "*) cat "$S/revision-$3" ;;
  "get pods"*"kafka.zone="*) zone="\${args##*kafka.zone=}"; cat "$S/revisions-\${zone%% *}" ;;
  "get certificate kafka-controller"*) cat "$S/cert-controller" ;;
  "get certificate kafka-broker"*) cat "$S/cert-broker" ;;
  "get pods"*"component=controller"*) cat "$S/pods-controller" ;;
  "get pods"*"component=broker"*) cat "$S/pods-broker" ;;
  "create --raw "*) echo "$3" >>"$S/evictions"; cat >/dev/null; exit "$(cat "$S/evict-rc")" ;;
  *) echo "unexpected kubectl $args" >&2; exit 2 ;;
esac
`,
);
chmodSync(join(bin, 'kubectl'), 0o755);

interface State {
  /** Per broker StatefulSet: its updateRevision and each pod's controller-revision-hash. */
  revisions?: Record<string, { update: string; pods: [string, string][] }>;
  ready: string[];
  certController: string;
  certBroker: string;
  controllers: [string, string][];
  brokers: [string, string][];
  evictRc?: number;
}

function run(state: State) {
  const write = (file: string, text: string) => writeFileSync(join(work, file), text);
  write('ready', state.ready.map((status) => `${status}\n`).join(''));
  write('cert-controller', state.certController);
  write('cert-broker', state.certBroker);
  write('pods-controller', state.controllers.map(([name, started]) => `${name} ${started}\n`).join(''));
  write('pods-broker', state.brokers.map(([name, started]) => `${name} ${started}\n`).join(''));
  write('evict-rc', String(state.evictRc ?? 0));
  for (const zone of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
    const group = state.revisions?.[zone] ?? { update: 'r1', pods: [[`kafka-broker-${zone}-0`, 'r1']] };
    write(`revision-kafka-broker-${zone}`, group.update);
    write(`revisions-${zone}`, group.pods.map(([name, revision]) => `${name} ${revision}\n`).join(''));
  }
  write('evictions', '');
  const result = spawnSync('bash', [join(rollerDir, 'roll.sh')], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}` } });
  return { status: result.status, stderr: result.stderr, evictions: readFileSync(join(work, 'evictions'), 'utf8').split('\n').filter(Boolean) };
}

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-02-01T00:00:00Z';
const T2 = '2026-03-01T00:00:00Z';
const base: State = {
  ready: ['True', 'True', 'True', 'True'],
  certController: T0,
  certBroker: T0,
  controllers: [['kafka-controller-1', T1], ['kafka-controller-0', T1]],
  brokers: [['kafka-broker-eu-west-1b-0', T1], ['kafka-broker-eu-west-1a-0', T1]],
};

test('nothing to do when every pod started after its certificate', () => {
  const result = run(base);
  expect(result).toMatchObject({ status: 0, evictions: [] });
  expect(result.stderr).toMatch(/every pod runs its current certificate/);
});

test('evicts exactly one pod, controllers before brokers, in name order', () => {
  expect(run({ ...base, certController: T2, certBroker: T2 }).evictions).toEqual(['/api/v1/namespaces/kafka/pods/kafka-controller-0/eviction']);
  expect(run({ ...base, certBroker: T2 }).evictions).toEqual(['/api/v1/namespaces/kafka/pods/kafka-broker-eu-west-1a-0/eviction']);
});

test('waits while any node is not Ready (the previous restart is still in progress)', () => {
  const result = run({ ...base, certBroker: T2, ready: ['True', 'False', 'True', 'True'] });
  expect(result).toMatchObject({ status: 0, evictions: [] });
});

test('a refused eviction (disruption budget) is not an error; the next run retries', () => {
  const result = run({ ...base, certBroker: T2, evictRc: 1 });
  expect(result.status).toBe(0);
  expect(result.evictions).toHaveLength(1);
  expect(result.stderr).toMatch(/refused/);
});

test('restarts one broker still on an old StatefulSet revision once certificates are current (OnDelete updates)', () => {
  const revisions = {
    'eu-west-1b': { update: 'r2', pods: [['kafka-broker-eu-west-1b-1', 'r1'], ['kafka-broker-eu-west-1b-0', 'r2']] as [string, string][] },
    'eu-west-1c': { update: 'r2', pods: [['kafka-broker-eu-west-1c-0', 'r1']] as [string, string][] },
  };
  const result = run({ ...base, revisions });
  expect(result.evictions).toEqual(['/api/v1/namespaces/kafka/pods/kafka-broker-eu-west-1b-1/eviction']);
  expect(result.stderr).toMatch(/runs revision r1, kafka-broker-eu-west-1b is at r2/);
  // A pending certificate goes first; nothing moves while a node is not Ready.
  expect(run({ ...base, certBroker: T2, revisions }).evictions).toEqual(['/api/v1/namespaces/kafka/pods/kafka-broker-eu-west-1a-0/eviction']);
  expect(run({ ...base, revisions, ready: ['True', 'False', 'True', 'True'] }).evictions).toEqual([]);
});

test('nothing to do when every broker runs its StatefulSet\'s update revision', () => {
  const result = run(base);
  expect(result.evictions).toEqual([]);
  expect(result.stderr).toMatch(/every broker runs its StatefulSet's current revision/);
});

test('its RBAC is read-only on the two Certificates and the broker StatefulSets, plus list pods and create evictions', () => {
  const role = objectsOfKind(synthesizedObjects(ENVIRONMENTS.prod), 'Role').find((object) => object.metadata.name === 'kafka-certificate-roller');
  expect((role as unknown as { rules: unknown[] }).rules).toEqual([
    { apiGroups: ['cert-manager.io'], resources: ['certificates'], resourceNames: ['kafka-controller', 'kafka-broker'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    {
      apiGroups: ['apps'],
      resources: ['statefulsets'],
      resourceNames: ['kafka-broker-eu-west-1a', 'kafka-broker-eu-west-1b', 'kafka-broker-eu-west-1c'],
      verbs: ['get'],
    },
  ]);
});
