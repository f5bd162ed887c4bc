import { configChangeRisks, listenerWeakness, retentionMs } from '../../../constructs/kafka/analysis/config-change-risk';

const props = (entries: Record<string, string>) => new Map(Object.entries(entries));
const secure = {
  'process.roles': 'broker',
  'node.id': '100',
  listeners: 'CLIENT://0.0.0.0:9092,REPLICATION://0.0.0.0:9091',
  'listener.security.protocol.map': 'CLIENT:SASL_SSL,REPLICATION:SSL,CONTROLLER:SSL',
  'listener.name.replication.ssl.client.auth': 'required',
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'super.users': 'User:kafka-broker;User:admin',
  'default.replication.factor': '3',
  'min.insync.replicas': '2',
  'log.dirs': '/var/lib/kafka/data',
  'controller.quorum.voters': '0@c-0:9093,1@c-1:9093,2@c-2:9093',
};
const rules = (change: Record<string, string | undefined>) => {
  const after = { ...secure, ...change };
  for (const key of Object.keys(after)) if (after[key as keyof typeof after] === undefined) delete after[key as keyof typeof after];
  return configChangeRisks(props(secure), props(after as Record<string, string>)).map((risk) => `${risk.category}/${risk.rule}`);
};

test('an unchanged config has no risk', () => {
  expect(rules({})).toEqual([]);
});

test.each([
  [{ 'default.replication.factor': '2' }, ['data-loss/replication-factor-lowered']],
  [{ 'min.insync.replicas': '1' }, ['data-loss/min-insync-replicas-lowered']],
  [{ 'unclean.leader.election.enable': 'true' }, ['data-loss/unclean-leader-election']],
  [{ 'log.retention.ms': '3600000' }, ['data-loss/retention-shortened']],
  [{ 'node.id': '101' }, ['data-loss/node-id-changed']],
  [{ 'log.dirs': '/data' }, ['data-loss/log-dirs-moved']],
  [{ 'controller.quorum.voters': '0@c-0:9093,1@c-1:9093,2@c-2:9093,3@c-3:9093,4@c-4:9093' }, ['availability/quorum-changed']],
  [{ 'listener.security.protocol.map': 'CLIENT:PLAINTEXT,REPLICATION:SSL,CONTROLLER:SSL' }, ['security/plaintext-listener', 'security/unauthenticated-listener']],
  [{ 'listener.name.replication.ssl.client.auth': undefined }, ['security/unauthenticated-listener']],
  [{ 'authorizer.class.name': undefined }, ['security/authorizer-off']],
  [{ 'allow.everyone.if.no.acl.found': 'true' }, ['security/allow-everyone']],
  [{ 'super.users': 'User:kafka-broker;User:admin;User:orders' }, ['security/super-user-added']],
])('%j → %j', (change, expected) => {
  expect(rules(change)).toEqual(expected);
});

test('raising durability or lengthening retention is no risk', () => {
  expect(rules({ 'min.insync.replicas': '3', 'default.replication.factor': '4', 'log.retention.hours': '336' })).toEqual([]);
});

test('retention resolves as Kafka does: ms over minutes over hours, 168 h by default', () => {
  expect(retentionMs(props({}))).toBe(168 * 3_600_000);
  expect(retentionMs(props({ 'log.retention.hours': '1', 'log.retention.minutes': '5' }))).toBe(300_000);
  expect(retentionMs(props({ 'log.retention.minutes': '5', 'log.retention.ms': '42' }))).toBe(42);
});

test('listener weakness: SSL without required client auth is encrypted but unauthenticated', () => {
  expect(listenerWeakness(props(secure), 'REPLICATION')).toEqual({ plaintext: false, unauthenticated: false });
  expect(listenerWeakness(props({ ...secure, 'listener.name.replication.ssl.client.auth': 'requested' }), 'REPLICATION')).toEqual({ plaintext: false, unauthenticated: true });
  expect(listenerWeakness(props(secure), 'CLIENT')).toEqual({ plaintext: false, unauthenticated: false });
});
