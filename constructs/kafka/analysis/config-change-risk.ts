/**
 * What a change of a node's resolved `server.properties` risks, key by key: lower durability, data moved or
 * orphaned, a changed quorum, a weaker security posture. Pure and Kafka-only, so it judges a pull request's
 * rendered configs (review/) as well as anything else that compares two configs. Key names are Kafka's own.
 */

export type RiskCategory = 'data-loss' | 'availability' | 'irreversible' | 'security';

export interface ConfigRisk {
  readonly category: RiskCategory;
  /** A stable id of the rule, for tools and tests. */
  readonly rule: string;
  readonly key: string;
  readonly what: string;
  readonly why: string;
  readonly instead: string;
}

type Properties = ReadonlyMap<string, string>;

const REPLICATION_KEYS = ['default.replication.factor', 'offsets.topic.replication.factor', 'transaction.state.log.replication.factor'];
const MIN_ISR_KEYS = ['min.insync.replicas', 'transaction.state.log.min.isr'];

/** Kafka's defaults for the keys whose absence means something (from the broker config docs of 4.x). */
const DEFAULTS: Readonly<Record<string, string>> = {
  'default.replication.factor': '1',
  'offsets.topic.replication.factor': '3',
  'transaction.state.log.replication.factor': '3',
  'min.insync.replicas': '1',
  'transaction.state.log.min.isr': '2',
  'unclean.leader.election.enable': 'false',
  'allow.everyone.if.no.acl.found': 'false',
  'log.retention.hours': '168',
  'log.retention.bytes': '-1',
};

function effective(properties: Properties, key: string): string | undefined {
  return properties.get(key) ?? DEFAULTS[key];
}

/** Time-based retention in milliseconds, as Kafka resolves it (ms over minutes over hours); -1 is unlimited. */
export function retentionMs(properties: Properties): number {
  const ms = properties.get('log.retention.ms');
  if (ms !== undefined) return Number(ms);
  const minutes = properties.get('log.retention.minutes');
  if (minutes !== undefined) return Number(minutes) * 60_000;
  return Number(effective(properties, 'log.retention.hours')) * 3_600_000;
}

function limited(value: number): number {
  return value < 0 ? Number.POSITIVE_INFINITY : value;
}

/** `CLIENT:SASL_SSL,REPLICATION:SSL` → listener name → security protocol. */
export function listenerProtocols(properties: Properties): Map<string, string> {
  const map = properties.get('listener.security.protocol.map') ?? '';
  return new Map(
    map.split(',').filter((entry) => entry.includes(':')).map((entry) => {
      const [name, protocol] = entry.split(':');
      return [name.trim().toUpperCase(), protocol.trim().toUpperCase()];
    }),
  );
}

/** Listeners this node actually opens (`listeners=CLIENT://0.0.0.0:9092,...`). */
function openListeners(properties: Properties): string[] {
  return (properties.get('listeners') ?? '').split(',').map((entry) => entry.split('://')[0].trim().toUpperCase()).filter((name) => name !== '');
}

/** What a listener lacks: encryption, authentication, or both. */
export function listenerWeakness(properties: Properties, listener: string): { plaintext: boolean; unauthenticated: boolean } {
  const protocol = listenerProtocols(properties).get(listener) ?? listener;
  const plaintext = protocol === 'PLAINTEXT' || protocol === 'SASL_PLAINTEXT';
  const clientAuth = properties.get(`listener.name.${listener.toLowerCase()}.ssl.client.auth`) ?? properties.get('ssl.client.auth') ?? 'none';
  const unauthenticated = protocol === 'PLAINTEXT' || (protocol === 'SSL' && clientAuth !== 'required');
  return { plaintext, unauthenticated };
}

function principals(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(';').map((principal) => principal.trim()).filter((principal) => principal !== ''));
}

/** Voter ids and hosts of a static quorum (`0@host:9093,...`), or bootstrap servers of a dynamic one. */
export function quorumMembers(properties: Properties): string[] {
  const voters = properties.get('controller.quorum.voters') ?? properties.get('controller.quorum.bootstrap.servers') ?? '';
  return voters.split(',').map((voter) => voter.trim()).filter((voter) => voter !== '');
}

function lowered(before: string | undefined, after: string | undefined): boolean {
  return before !== undefined && after !== undefined && Number(after) < Number(before);
}

/** Every risk of changing one node's config from `before` to `after`. */
export function configChangeRisks(before: Properties, after: Properties): ConfigRisk[] {
  const risks: ConfigRisk[] = [];
  for (const key of REPLICATION_KEYS) {
    const [old, fresh] = [effective(before, key), effective(after, key)];
    if (lowered(old, fresh)) {
      risks.push({ category: 'data-loss', rule: 'replication-factor-lowered', key, what: `${key} lowered from ${old} to ${fresh}`, why: 'fewer copies of every new partition: losing fewer brokers loses data', instead: `keep ${key}=${old}; lower it only with a written reason and after checking min.insync.replicas stays below it` });
    }
  }
  for (const key of MIN_ISR_KEYS) {
    const [old, fresh] = [effective(before, key), effective(after, key)];
    if (lowered(old, fresh)) {
      risks.push({ category: 'data-loss', rule: 'min-insync-replicas-lowered', key, what: `${key} lowered from ${old} to ${fresh}`, why: 'acks=all writes are then acknowledged by fewer replicas: a single broker failure can lose acknowledged data', instead: `keep ${key}=${old} (production: at least 2 with replication factor 3)` });
    }
  }
  if (effective(before, 'unclean.leader.election.enable') !== 'true' && effective(after, 'unclean.leader.election.enable') === 'true') {
    risks.push({ category: 'data-loss', rule: 'unclean-leader-election', key: 'unclean.leader.election.enable', what: 'unclean.leader.election.enable turned on', why: 'an out-of-sync replica may become leader and silently drop acknowledged writes', instead: 'keep it false; recover an offline partition by bringing its in-sync replica back, or elect uncleanly once with kafka-leader-election.sh --election-type unclean' });
  }
  if (limited(retentionMs(after)) < limited(retentionMs(before))) {
    risks.push({ category: 'data-loss', rule: 'retention-shortened', key: 'log.retention.*', what: `time retention shortened from ${retentionText(retentionMs(before))} to ${retentionText(retentionMs(after))}`, why: 'on restart, brokers delete every segment older than the new limit: consumers behind it lose data', instead: 'check consumer lag and downstream needs first; shorten per topic with kafka-configs.sh if only some topics need it' });
  }
  if (limited(Number(effective(after, 'log.retention.bytes'))) < limited(Number(effective(before, 'log.retention.bytes')))) {
    risks.push({ category: 'data-loss', rule: 'retention-shortened', key: 'log.retention.bytes', what: `size retention lowered from ${effective(before, 'log.retention.bytes')} to ${effective(after, 'log.retention.bytes')}`, why: 'brokers delete the oldest segments beyond the new size', instead: 'size retention from the volume size and the write rate; lower it per topic where needed' });
  }
  for (const key of ['node.id']) {
    if (before.has(key) && after.has(key) && before.get(key) !== after.get(key)) {
      risks.push({ category: 'data-loss', rule: 'node-id-changed', key, what: `node.id changed from ${before.get(key)} to ${after.get(key)}`, why: 'the node then claims a formatted log directory of another id and refuses to start, or joins as a new node while its replicas stay assigned to the old id', instead: 'node ids are fixed for a node’s life: add a node with a new id and move partitions to it' });
    }
  }
  for (const key of ['log.dirs', 'log.dir', 'metadata.log.dir']) {
    if (before.has(key) && before.get(key) !== after.get(key)) {
      risks.push({ category: 'data-loss', rule: 'log-dirs-moved', key, what: `${key} moved from ${before.get(key)} to ${after.get(key) ?? '(default)'}`, why: 'Kafka starts with an empty directory there: the node’s data stays behind in the old path', instead: 'keep the path; to move data, stop the node, copy the directory, then change the path' });
    }
  }
  const [oldVoters, newVoters] = [quorumMembers(before), quorumMembers(after)];
  if (oldVoters.join(',') !== newVoters.join(',')) {
    const size = oldVoters.length !== newVoters.length;
    risks.push({
      category: 'availability',
      rule: 'quorum-changed',
      key: before.has('controller.quorum.voters') || after.has('controller.quorum.voters') ? 'controller.quorum.voters' : 'controller.quorum.bootstrap.servers',
      what: size ? `controller quorum changed from ${oldVoters.length} to ${newVoters.length} voters` : 'controller quorum membership changed',
      why: 'a static quorum (controller.quorum.voters) cannot change in place: nodes restarted with the new list disagree with the quorum recorded in the metadata log and may never elect a leader',
      instead: 'plan a migration: Kafka 4.x changes membership only through a dynamic quorum (KIP-853, kafka-metadata-quorum.sh add-controller / remove-controller); keep the voters unchanged in this change',
    });
  }
  if (before.has('process.roles') && after.has('process.roles') && before.get('process.roles') !== after.get('process.roles')) {
    risks.push({ category: 'availability', rule: 'process-roles-changed', key: 'process.roles', what: `process.roles changed from ${before.get('process.roles')} to ${after.get('process.roles')}`, why: 'a node cannot change role in place: its metadata and log directories belong to the old role', instead: 'add nodes with the new role and retire the old ones' });
  }
  if (before.has('broker.rack') && after.has('broker.rack') && before.get('broker.rack') !== after.get('broker.rack')) {
    risks.push({ category: 'availability', rule: 'rack-changed', key: 'broker.rack', what: `broker.rack changed from ${before.get('broker.rack')} to ${after.get('broker.rack')}`, why: 'existing replicas were placed by the old rack: a zone failure may now take several replicas of a partition', instead: 'keep racks equal to zones; reassign partitions after moving a broker' });
  }
  for (const listener of openListeners(after)) {
    const now = listenerWeakness(after, listener);
    const was = openListeners(before).includes(listener) ? listenerWeakness(before, listener) : { plaintext: false, unauthenticated: false };
    if (now.plaintext && !was.plaintext) {
      risks.push({ category: 'security', rule: 'plaintext-listener', key: 'listener.security.protocol.map', what: `listener ${listener} is not encrypted (${listenerProtocols(after).get(listener) ?? listener})`, why: 'credentials and records cross the network in clear text', instead: `use SSL or SASL_SSL on ${listener} (tls: true in the spec)` });
    }
    if (now.unauthenticated && !was.unauthenticated) {
      risks.push({ category: 'security', rule: 'unauthenticated-listener', key: 'listener.security.protocol.map', what: `listener ${listener} accepts unauthenticated connections`, why: 'anyone who reaches the port acts as User:ANONYMOUS', instead: `require SCRAM or client certificates on ${listener}` });
    }
  }
  if (before.get('authorizer.class.name') && !after.get('authorizer.class.name')) {
    risks.push({ category: 'security', rule: 'authorizer-off', key: 'authorizer.class.name', what: 'the authoriser is removed', why: 'without an authoriser every authenticated client may do anything, ACLs are ignored', instead: 'keep org.apache.kafka.metadata.authorizer.StandardAuthorizer' });
  }
  if (effective(before, 'allow.everyone.if.no.acl.found') !== 'true' && effective(after, 'allow.everyone.if.no.acl.found') === 'true') {
    risks.push({ category: 'security', rule: 'allow-everyone', key: 'allow.everyone.if.no.acl.found', what: 'allow.everyone.if.no.acl.found turned on', why: 'every resource without an ACL becomes open to every principal', instead: 'keep it false and declare ACLs for what clients need' });
  }
  const oldSupers = principals(before.get('super.users'));
  const added = [...principals(after.get('super.users'))].filter((principal) => !oldSupers.has(principal));
  if (added.length > 0) {
    risks.push({ category: 'security', rule: 'super-user-added', key: 'super.users', what: `new super user(s): ${added.join(', ')}`, why: 'a super user bypasses every ACL', instead: 'grant the principal the ACLs it needs instead' });
  }
  return risks;
}

function retentionText(ms: number): string {
  if (ms < 0) return 'unlimited';
  const hours = ms / 3_600_000;
  return Number.isInteger(hours) ? `${hours} h` : `${ms} ms`;
}
