import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { QUORUM_FILES, quorumFiles } from '../../constructs/kafka/operations/quorum-change';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { prod } from '../../environments/prod';
import { StubWorld, featuresTable, quorumTable } from './support/kafka-stubs';

/**
 * controller-quorum.sh run for real against a stand-in kafka-metadata-quorum.sh (prod: voters 0, 1, 2 in
 * eu-west-1a/b/c; ids 3 and 4 would go to eu-west-1a and eu-west-1b): one voter at a time, only on a dynamic quorum
 * whose voters caught up, never crowding a zone, then a bounded wait for the change.
 */
const world = new StubWorld();
afterAll(() => world.cleanup());
const DYNAMIC = featuresTable({ 'kraft.version': { max: '1', finalized: '1' } });

function run(args: string[], files: Record<string, string>, env: Record<string, string> = {}) {
  world.reset();
  const dir = join(world.dir, 'operations');
  mkdirSync(dir, { recursive: true });
  const plan = quorumFiles(buildClusterModel(validateEnvironment(prod)));
  plan[QUORUM_FILES.settings] = plan[QUORUM_FILES.settings].replace("POLL_SECONDS='10'", "POLL_SECONDS='0'").replace("CATCH_UP_TIMEOUT_SECONDS='900'", "CATCH_UP_TIMEOUT_SECONDS='2'");
  for (const [file, text] of Object.entries(plan)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'password'), 'AdminPassw0rd');
  writeFileSync(join(dir, 'ca.crt'), 'CA');
  writeFileSync(join(world.dir, 'controller-3.properties'), 'node.id=3\n');
  world.write('features', DYNAMIC);
  for (const [file, text] of Object.entries(files)) world.write(file, text);
  const result = spawnSync('bash', [join(dir, QUORUM_FILES.script), ...args], { encoding: 'utf8', env: { PATH: `${world.bin}:${process.env.PATH}`, KAFKA_BIN: world.bin, ...env } });
  return { status: result.status, stderr: result.stderr, changes: world.events().filter((event) => event.includes('-controller ') || event.endsWith('add-controller')) };
}

const properties = () => join(world.dir, 'controller-3.properties');

test('adds a caught-up observer as a voter and waits until it follows the leader', () => {
  const result = run(['add', '3', properties()], { quorum: quorumTable(0, { 1: 100, 2: 100 }, [3, 100]), 'quorum-after': quorumTable(0, { 1: 100, 2: 100, 3: 50 }) });
  expect(result.status).toBe(0);
  expect(result.changes).toEqual(['kafka-metadata-quorum.sh add-controller']);
  expect(result.stderr).toMatch(/warning: losing zone eu-west-1a would leave 2 of 4 voters, no majority: take the next step right away/);
  expect(result.stderr).toMatch(/node 3 is a voter/);
});

test('refuses on a static quorum, before the new node caught up, while a voter lags, and when it would crowd a zone', () => {
  const healthy = quorumTable(0, { 1: 100, 2: 100 }, [3]);
  const staticQuorum = run(['add', '3', properties()], { quorum: healthy, features: featuresTable({ 'kraft.version': { max: '1', finalized: '0' } }) });
  expect(staticQuorum).toMatchObject({ status: 2, changes: [] });
  expect(staticQuorum.stderr).toMatch(/refused: kraft.version is not 1: the quorum is static/);
  const notThere = run(['add', '3', properties()], { quorum: quorumTable(0, { 1: 100, 2: 100 }) });
  expect(notThere.stderr).toMatch(/refused: node 3 is not a caught-up observer yet/);
  const lagging = run(['add', '3', properties()], { quorum: quorumTable(0, { 1: 100, 2: 8000 }, [3]) });
  expect(lagging.stderr).toMatch(/refused: voter 2 is not caught up \(8000 ms behind the leader\)/);
  // Voters 0, 2, 3 would leave two of three in eu-west-1a.
  const crowding = run(['remove', '1'], { quorum: quorumTable(0, { 1: 100, 2: 100, 3: 100 }) });
  expect(crowding).toMatchObject({ status: 2, changes: [] });
  expect(crowding.stderr).toMatch(/refused: 2 of 3 voters would be in zone eu-west-1a \(at most 1\)/);
});

test('removes a voter by id and directory id, then waits until it is gone', () => {
  const result = run(['remove', '4'], { quorum: quorumTable(0, { 1: 100, 2: 100, 3: 100, 4: 100 }), 'quorum-after': quorumTable(0, { 1: 100, 2: 100, 3: 100 }) });
  expect(result.status).toBe(0);
  expect(result.changes).toEqual(['kafka-metadata-quorum.sh remove-controller --controller-id 4 --controller-directory-id g3OMYG2gvmLCeE9Nv-Cz5Q']);
  expect(result.stderr).toMatch(/node 4 is no longer a voter \(directory g3OMYG2gvmLCeE9Nv-Cz5Q\); stop it now/);
});

test('a change that does not show up in time fails the run; tool errors are errors', () => {
  const stuck = run(['add', '3', properties()], { quorum: quorumTable(0, { 1: 100, 2: 100 }, [3]), 'quorum-after': quorumTable(0, { 1: 100, 2: 100 }, [3]) });
  expect(stuck.status).toBe(1);
  expect(stuck.stderr).toMatch(/ERROR: gave up after 2s waiting for node 3 to become a caught-up voter/);
  const broken = run(['status'], { 'fail-kafka-metadata-quorum.sh': '' });
  expect(broken.status).toBe(1);
  expect(broken.stderr).toMatch(/ERROR: kafka-metadata-quorum.sh describe --replication failed/);
});

test('on a controller, NODE_CONFIG replaces the admin connection (no admin password needed)', () => {
  const result = run(['status'], { quorum: quorumTable(0, { 1: 100, 2: 100 }) }, { NODE_CONFIG: properties(), ADMIN_DIR: '/nonexistent' });
  expect(result.status).toBe(0);
});
