#!/usr/bin/env node
/**
 * A fake Kafka cluster behind stand-ins for Kafka's command-line tools, for running the reconcile script for real.
 * State lives in a JSON file (topics, SCRAM credentials, quotas, ACL lines, the active controller); each tool
 * reads it, acts, prints in the format of Kafka 4.x's TopicCommand / ConfigCommand / AclCommand /
 * MetadataQuorumCommand, and appends its argv (tab-joined) to a calls log. It refuses what Kafka refuses
 * (lowering partitions, creating an existing topic, deleting a config that is not set, `--add-config` together with
 * `--add-config-file`), so a script that would fail on a real cluster fails here too.
 *
 * Usage: fake-kafka.cjs <state.json> <calls.log> --serve   (prints the port it listens on, 127.0.0.1 only)
 * Each tool is a small bash shim that sends its argv to that port and prints what comes back, so a run of the
 * script costs no Node start-up per tool call.
 */
const fs = require('node:fs');
const net = require('node:net');

const [statePath, callsPath] = process.argv.slice(2);
let state;
let args;
let out;

class Exit extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const has = (flag) => args.includes(flag);
const value = (flag) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
const values = (flag) => args.flatMap((arg, index) => (arg === flag ? [args[index + 1]] : []));
const save = () => fs.writeFileSync(statePath, JSON.stringify(state, null, 1));
const print = (line) => out.push(line);
const die = (message) => {
  throw new Exit(1, message);
};

/** java.util.Properties, as far as the script's files need it: key=value lines, # comments. */
function loadProps(path) {
  const props = {};
  for (const line of fs.readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '' || /^\s*[#!]/.test(line)) continue;
    const at = line.search(/[=:]/);
    props[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return props;
}

/** Java's Double.toString: 1048576.0, 1.048576E7, 50.0. */
function javaDouble(number) {
  if (number !== 0 && (Math.abs(number) >= 1e7 || Math.abs(number) < 1e-3)) {
    const [mantissa, exponent] = number.toExponential().split('e');
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return Number.isInteger(number) ? `${number}.0` : String(number);
}

/** --add-config 'k1=v1,k2=[a,b]' the way ConfigCommand splits it. */
function parseAddConfig(text) {
  const props = {};
  for (const pair of text.split(/,(?=[^\]]*(?:\[|$))/)) {
    const at = pair.indexOf('=');
    if (at < 0) die('Invalid entity config: all configs to be added must be in the format "key=val"');
    props[pair.slice(0, at).trim()] = pair.slice(at + 1).replace(/[[\]]/g, '').trim();
  }
  return props;
}

function commandConfig() {
  const path = value('--command-config');
  return path ? loadProps(path) : {};
}

function authenticated() {
  const config = commandConfig();
  const jaas = config['sasl.jaas.config'];
  if (!jaas) return config['security.protocol'] === state.securityProtocol;
  const user = /username="([^"]*)"/.exec(jaas)?.[1];
  const password = /password="([^"]*)"/.exec(jaas)?.[1];
  return user !== undefined && state.scram[user] !== undefined && state.scram[user] === password;
}

function quotaEntity() {
  const types = values('--entity-type');
  // Names in command-line order, "" for --entity-default (ConfigCommand.entityNames()).
  const names = [];
  args.forEach((arg, index) => {
    if (arg === '--entity-name') names.push(args[index + 1]);
    if (arg === '--entity-default') names.push('<default>');
  });
  const entity = { user: '', client: '' };
  types.forEach((type, index) => {
    if (type === 'users') entity.user = names[index];
    if (type === 'clients') entity.client = names[index];
  });
  return `${entity.user}|${entity.client}`;
}

function describeQuotaEntity(key) {
  const [user, client] = key.split('|');
  const part = (kind, name) => (name === '<default>' ? `the default ${kind}` : `${kind} '${name}'`);
  return [user ? part('user-principal', user) : undefined, client ? part('client-id', client) : undefined].filter(Boolean).join(', ');
}

function topicsTool() {
  if (!authenticated()) die('authentication failed');
  const name = value('--topic');
  if (has('--describe')) {
    for (const topic of Object.keys(state.topics).sort()) {
      if (has('--exclude-internal') && topic.startsWith('__')) continue;
      const { partitions, replicationFactor, configs } = state.topics[topic];
      const shown = Object.entries(configs).map(([key, text]) => `${key}=${text}`).join(',');
      print(`Topic: ${topic}\tTopicId: AAAAAAAAAAAAAAAAAAAAAA\tPartitionCount: ${partitions}\tReplicationFactor: ${replicationFactor}\tConfigs: ${shown}`);
      for (let partition = 0; partition < partitions; partition++) {
        print(`\tTopic: ${topic}\tPartition: ${partition}\tLeader: 100\tReplicas: 100\tIsr: 100\tElr: \tLastKnownElr: `);
      }
    }
  } else if (has('--create')) {
    if (state.topics[name]) die(`Error while executing topic command : Topic '${name}' already exists.`);
    const configs = Object.fromEntries(values('--config').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    state.topics[name] = { partitions: Number(value('--partitions')), replicationFactor: Number(value('--replication-factor')), configs };
    print(`Created topic ${name}.`);
  } else if (has('--alter') || has('--delete')) {
    // As TopicCommand's IncludeList: --topic is a regular expression that must match a whole name.
    const pattern = new RegExp(`^(?:${name.replace(/,/g, '|')})$`);
    const matching = Object.keys(state.topics).filter((topic) => pattern.test(topic));
    if (matching.length === 0) die(`Topic '${name}' does not exist as expected`);
    for (const topic of matching) {
      if (has('--delete')) {
        delete state.topics[topic];
        continue;
      }
      const partitions = Number(value('--partitions'));
      if (partitions <= state.topics[topic].partitions) die(`The topic ${topic} currently has ${state.topics[topic].partitions} partition(s); ${partitions} would not be an increase.`);
      state.topics[topic].partitions = partitions;
    }
  }
  save();
}

function configsTool() {
  if (!authenticated()) die('authentication failed');
  const types = values('--entity-type');
  const name = value('--entity-name');
  if (has('--add-config') && has('--add-config-file')) die('Only one of --add-config or --add-config-file must be specified');
  const added = { ...(has('--add-config-file') ? loadProps(value('--add-config-file')) : {}), ...(has('--add-config') ? parseAddConfig(value('--add-config')) : {}) };
  const removed = has('--delete-config') ? value('--delete-config').split(',') : [];
  if (types[0] === 'topics') {
    if (has('--describe')) {
      for (const topic of name ? [name] : Object.keys(state.topics).sort()) {
        print(`Dynamic configs for topic ${topic} are:`);
        for (const [key, text] of Object.entries(state.topics[topic]?.configs ?? {}).sort()) {
          print(`  ${key}=${text} sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:${key}=${text}}`);
        }
      }
      return;
    }
    const topic = state.topics[name] ?? die(`Topic '${name}' does not exist`);
    const missing = removed.filter((key) => !(key in topic.configs));
    if (missing.length > 0) die(`Invalid config(s): ${missing.join(',')}`);
    for (const key of removed) delete topic.configs[key];
    Object.assign(topic.configs, added);
    save();
    return;
  }
  const entity = quotaEntity();
  if (has('--describe')) {
    const quotas = state.quotas[entity];
    if (quotas && Object.keys(quotas).length > 0) {
      print(`Quota configs for ${describeQuotaEntity(entity)} are ${Object.entries(quotas).map(([key, number]) => `${key}=${javaDouble(number)}`).join(', ')}`);
    }
    if (!types.includes('clients') && name && state.scram[name] !== undefined) {
      print(`SCRAM credential configs for user-principal '${name}' are SCRAM-SHA-512=iterations=8192`);
    }
    return;
  }
  const scram = added['SCRAM-SHA-512'];
  if (scram !== undefined) {
    const match = /^(?:iterations=(-?\d*),)?password=(.*)$/.exec(scram) ?? die(`Invalid credential property SCRAM-SHA-512=${scram}`);
    state.scram[name] = match[2];
  } else if (removed.includes('SCRAM-SHA-512')) {
    delete state.scram[name];
  } else {
    const quotas = (state.quotas[entity] ??= {});
    const missing = removed.filter((key) => !(key in quotas));
    if (missing.length > 0) die(`Invalid config(s): ${missing.join(',')}`);
    for (const key of removed) delete quotas[key];
    for (const [key, text] of Object.entries(added)) {
      if (!/^-?\d+(\.\d+)?([eE]-?\d+)?$/.test(text)) die(`Cannot parse quota configuration value for ${key}: ${text}`);
      quotas[key] = Number(text);
    }
  }
  save();
}

function aclsTool() {
  if (!authenticated()) die('authentication failed');
  if (has('--list')) {
    const byResource = new Map();
    for (const line of state.acls) {
      const [principal, permission, host, operation, type, pattern, ...rest] = line.split('|');
      const key = `ResourcePattern(resourceType=${type}, name=${rest.join('|')}, patternType=${pattern})`;
      byResource.set(key, [...(byResource.get(key) ?? []), `(principal=${principal}, host=${host}, operation=${operation}, permissionType=${permission})`]);
    }
    for (const [resource, entries] of byResource) print(`Current ACLs for resource \`${resource}\`: \n${entries.map((entry) => ` \t${entry}`).join('\n')} \n`);
    return;
  }
  const allow = has('--allow-principal');
  const operation = value('--operation').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const [type, name] = has('--topic')
    ? ['TOPIC', value('--topic')]
    : has('--group')
      ? ['GROUP', value('--group')]
      : has('--transactional-id')
        ? ['TRANSACTIONAL_ID', value('--transactional-id')]
        : ['CLUSTER', 'kafka-cluster'];
  const line = [
    value(allow ? '--allow-principal' : '--deny-principal'),
    allow ? 'ALLOW' : 'DENY',
    value(allow ? '--allow-host' : '--deny-host'),
    operation,
    type,
    value('--resource-pattern-type').toUpperCase(),
    name,
  ].join('|');
  state.acls = has('--add') ? [...new Set([...state.acls, line])] : state.acls.filter((entry) => entry !== line);
  save();
}

function run(tool) {
  switch (tool) {
    case 'kafka-broker-api-versions.sh':
      if (!authenticated()) throw new Exit(1, 'authentication failed');
      break;
    case 'kafka-topics.sh':
      topicsTool();
      break;
    case 'kafka-configs.sh':
      configsTool();
      break;
    case 'kafka-acls.sh':
      aclsTool();
      break;
    case 'kafka-metadata-quorum.sh':
      if (!authenticated()) die('authentication failed');
      print(`ClusterId:              ${state.clusterId ?? 'fake'}\nLeaderId:               ${state.leader}\nLeaderEpoch:            7\nHighWatermark:          1234`);
      break;
    default:
      die(`fake-kafka: unknown tool ${tool}`);
  }
}

/** One tool call: `<status>\n<stderr length>\n<stderr><stdout>` back to the shim. */
function handle(argv) {
  const [tool, ...rest] = argv;
  args = rest;
  out = [];
  fs.appendFileSync(callsPath, `${argv.join('\t')}\n`);
  try {
    state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
    run(tool);
    return `0\n0\n${out.map((line) => `${line}\n`).join('')}`;
  } catch (error) {
    const status = error instanceof Exit ? error.status : 2;
    const message = `${error.message}\n`;
    return `${status}\n${message.length}\n${message}${out.map((line) => `${line}\n`).join('')}`;
  }
}

// Request: the argument count, a newline, then each argument NUL-terminated.
const server = net.createServer((socket) => {
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    const newline = buffer.indexOf(10);
    if (newline < 0) return;
    const count = Number(buffer.subarray(0, newline).toString());
    const parts = buffer.subarray(newline + 1).toString().split('\0');
    if (parts.length <= count) return;
    socket.end(handle(parts.slice(0, count)));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
