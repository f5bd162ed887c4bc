import { aclLine, desiredAcls, ownedPrincipals } from './acl-plan';
import { ADMIN_USER, type ClusterModel, listenerByKey } from '../model/cluster-model';
import { bootstrapServiceName } from '../model/names';
import { scramUsers, usesScram } from './users';

/**
 * The reconcile job: a bash script run with the apache/kafka image's own tools (kafka-configs.sh, kafka-acls.sh),
 * plus the plan it reads, rendered as data so the script text never changes with the spec.
 *
 * Idempotent: a SCRAM credential is (re)set only when the user cannot authenticate with the password in its
 * Secret (so a rotated password is applied on the next run and an unchanged one is left alone); ACLs are diffed
 * against `kafka-acls.sh --list` with the rules of `acl-plan.ts` and only the difference is applied.
 */

/** Where the job's pod mounts what it reads. Overridable by environment variables so tests can run the script. */
export const RECONCILE_PATHS = {
  plan: '/etc/kafka-reconcile/plan',
  users: '/etc/kafka-reconcile/users',
  previousAdmin: '/etc/kafka-reconcile/admin-previous',
  ca: '/etc/kafka-reconcile/ca',
  adminTls: '/etc/kafka-reconcile/admin-tls',
  kafkaBin: '/opt/kafka/bin',
} as const;

/** Files of the plan ConfigMap. */
export const PLAN_FILES = {
  desiredAcls: 'acls.desired',
  ownedPrincipals: 'principals.owned',
  scramUsers: 'users.scram',
  retiredUsers: 'users.retired',
} as const;

export const RECONCILE_SCRIPT_KEY = 'reconcile.sh';

/** The plan: every file is one item per line, sorted, newline-terminated (empty when there is nothing). */
export function reconcilePlanFiles(model: ClusterModel): Record<string, string> {
  const lines = (items: readonly string[]) => items.map((item) => `${item}\n`).join('');
  const { spec } = model;
  return {
    [PLAN_FILES.desiredAcls]: lines(desiredAcls(spec).map(aclLine)),
    [PLAN_FILES.ownedPrincipals]: lines(ownedPrincipals(spec)),
    [PLAN_FILES.scramUsers]: lines(scramUsers(spec).map((user) => user.name)),
    [PLAN_FILES.retiredUsers]: lines([...spec.security.retiredUsers].sort()),
  };
}

/** `host:port` the job talks to: the bootstrap Service, whose name the broker certificate carries. */
export function reconcileBootstrapServer(model: ClusterModel): string {
  const { spec } = model;
  if (spec.runtime.kind !== 'kubernetes') throw new Error('the reconcile job runs on Kubernetes only');
  return `${bootstrapServiceName(spec)}.${spec.runtime.namespace}.svc:${listenerByKey(model, 'client').port}`;
}

function clientConfigFunction(model: ClusterModel): string {
  const client = listenerByKey(model, 'client');
  const tls = client.tls
    ? ['ssl.truststore.type=PEM', 'ssl.truststore.location=$CA_DIR/ca.crt'].map((line) => `    printf '%s\\n' "${line}"`)
    : [];
  if (usesScram(model.spec)) {
    return [
      '# SCRAM client config for user $1 with the password in file $2; printed to stdout.',
      'client_config() {',
      '  local password',
      '  password="$(cat "$2")"',
      '  check_password "$1" "$password"',
      '  {',
      `    printf '%s\\n' "security.protocol=${client.securityProtocol}" 'sasl.mechanism=SCRAM-SHA-512'`,
      `    printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\\n' "$1" "$password"`,
      ...tls,
      '  }',
      '}',
    ].join('\n');
  }
  return [
    '# Mutual TLS client config: the admin authenticates with its own certificate (CN=admin).',
    '# ssl.keystore.certificate.chain/ssl.keystore.key take PEM *content*, not file names, and a PEM key store file',
    '# (ssl.keystore.location) is refused without ssl.key.password, i.e. an unencrypted key: so the files are read',
    '# through a DirectoryConfigProvider, exactly as the brokers read their own.',
    'client_config() {',
    '  {',
    `    printf '%s\\n' "security.protocol=${client.securityProtocol}" 'ssl.keystore.type=PEM'`,
    `    printf '%s\\n' 'config.providers=admintls' 'config.providers.admintls.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider'`,
    `    printf '%s\\n' "ssl.keystore.certificate.chain=\\\${admintls:$ADMIN_TLS_DIR:tls.crt}" "ssl.keystore.key=\\\${admintls:$ADMIN_TLS_DIR:tls.key}"`,
    ...tls,
    '  }',
    '}',
  ].join('\n');
}

/** The reconcile script. Pure: same model, same bytes. */
export function renderReconcileScript(model: ClusterModel): string {
  const { spec } = model;
  const scram = usesScram(spec);
  const p = RECONCILE_PATHS;
  return `#!/usr/bin/env bash
# Reconciles the SCRAM users and ACLs of Kafka cluster ${spec.kafka.clusterName} (environment ${spec.name}) with the
# plan rendered from environments/${spec.name}.ts. Generated; do not edit. Safe to run any number of times.
set -euo pipefail
umask 077

readonly BIN="\${KAFKA_BIN:-${p.kafkaBin}}"
readonly PLAN="\${PLAN_DIR:-${p.plan}}"
readonly USERS_DIR="\${USERS_DIR:-${p.users}}"
readonly PREVIOUS_ADMIN="\${PREVIOUS_ADMIN_DIR:-${p.previousAdmin}}/password"
readonly CA_DIR="\${CA_DIR:-${p.ca}}"
readonly ADMIN_TLS_DIR="\${ADMIN_TLS_DIR:-${p.adminTls}}"
readonly BOOTSTRAP="\${BOOTSTRAP_SERVER:-${reconcileBootstrapServer(model)}}"
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT

log() { printf '%s\\n' "reconcile: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

# Passwords go into a JAAS line and a kafka-configs value; refuse characters that would break either
# (generated passwords are alphanumeric). The password itself is never printed.
check_password() {
  case "$2" in
    '') fail "the password of user $1 is empty" ;;
    *[!A-Za-z0-9._~+-]*) fail "the password of user $1 contains characters other than A-Z a-z 0-9 . _ ~ + -" ;;
  esac
}

${clientConfigFunction(model)}

authenticates() {
  timeout 120 "$BIN/kafka-broker-api-versions.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$1" >/dev/null 2>&1
}

configs() { "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@"; }
acls() { "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@"; }

${scram ? scramSection() : mtlsAdminSection()}

# "Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=x, patternType=LITERAL)\`:" then one
# "(principal=User:a, host=*, operation=WRITE, permissionType=ALLOW)" per ACL  ->  the plan's line format.
parse_acls() {
  awk '
    /^Current ACLs for resource/ {
      s = $0; sub(/.*resourceType=/, "", s); type = s; sub(/, name=.*/, "", type)
      s = $0; sub(/.*, name=/, "", s); sub(/, patternType=[A-Z_]*\\).*$/, "", s); name = s
      s = $0; sub(/.*patternType=/, "", s); sub(/\\).*/, "", s); pattern = s
      next
    }
    /\\(principal=/ {
      s = $0; sub(/^[ \\t]*\\(principal=/, "", s); principal = s; sub(/, host=.*/, "", principal)
      s = $0; sub(/.*, host=/, "", s); host = s; sub(/, operation=.*/, "", host)
      s = $0; sub(/.*, operation=/, "", s); operation = s; sub(/, permissionType=.*/, "", operation)
      s = $0; sub(/.*permissionType=/, "", s); sub(/\\).*/, "", s); permission = s
      print principal "|" permission "|" host "|" operation "|" type "|" pattern "|" name
    }'
}

# DESCRIBE_CONFIGS -> DescribeConfigs, the spelling kafka-acls.sh documents.
operation_arg() { printf '%s\\n' "$1" | awk -F_ '{ for (i = 1; i <= NF; i++) printf "%s%s", substr($i, 1, 1), tolower(substr($i, 2)); print "" }'; }

# $1 = --add or --remove, $2 = one plan line.
apply_acl() {
  local principal permission host operation type pattern name
  IFS='|' read -r principal permission host operation type pattern name <<<"$2"
  local args=("$1" --force --operation "$(operation_arg "$operation")")
  if [ "$permission" = DENY ]; then args+=(--deny-principal "$principal" --deny-host "$host"); else args+=(--allow-principal "$principal" --allow-host "$host"); fi
  case "$type" in
    TOPIC) args+=(--topic "$name") ;;
    GROUP) args+=(--group "$name") ;;
    TRANSACTIONAL_ID) args+=(--transactional-id "$name") ;;
    CLUSTER) args+=(--cluster) ;;
    *) fail "unknown resource type $type" ;;
  esac
  if [ "$pattern" = PREFIXED ]; then args+=(--resource-pattern-type prefixed); else args+=(--resource-pattern-type literal); fi
  log "acl $1 $2"
  acls "\${args[@]}" >/dev/null
}

reconcile_acls() {
  acls --list >"$WORK/acls.list"
  parse_acls <"$WORK/acls.list" | LC_ALL=C sort -u >"$WORK/acls.current"
  LC_ALL=C sort -u "$PLAN/${PLAN_FILES.desiredAcls}" >"$WORK/acls.desired"
  # Add what the plan wants and the cluster lacks.
  awk 'FILENAME == ARGV[1] { have[$0] = 1; next } NF > 0 && !($0 in have)' "$WORK/acls.current" "$WORK/acls.desired" >"$WORK/acls.add"
  # Remove only ACLs of owned principals that the plan no longer wants; every other principal is left alone.
  awk -F'|' 'FILENAME == ARGV[1] { own[$0] = 1; next } FILENAME == ARGV[2] { want[$0] = 1; next } ($1 in own) && !($0 in want)' \\
    "$PLAN/${PLAN_FILES.ownedPrincipals}" "$WORK/acls.desired" "$WORK/acls.current" >"$WORK/acls.remove"
  local line
  while IFS= read -r line; do apply_acl --add "$line"; done <"$WORK/acls.add"
  while IFS= read -r line; do apply_acl --remove "$line"; done <"$WORK/acls.remove"
  log "acls: $(wc -l <"$WORK/acls.add" | tr -d ' ') added, $(wc -l <"$WORK/acls.remove" | tr -d ' ') removed"
}

connect_as_admin
${scram ? 'reconcile_users\n' : ''}reconcile_acls
log "done"
`;
}

function scramSection(): string {
  return `# Sets user $1's SCRAM-SHA-512 credential to the password in file $2.
set_scram() {
  local password
  password="$(cat "$2")"
  check_password "$1" "$password"
  configs --alter --entity-type users --entity-name "$1" --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
  log "scram $1: credential set"
}

# Acts as ${ADMIN_USER}. After a rotation of the admin password in Secrets Manager, Kafka still knows the previous
# one: authenticate with it (from the AWSPREVIOUS version) and set the new one.
connect_as_admin() {
  ADMIN_CONFIG="$WORK/admin.properties"
  client_config ${ADMIN_USER} "$USERS_DIR/${ADMIN_USER}" >"$ADMIN_CONFIG"
  authenticates "$ADMIN_CONFIG" && return 0
  [ -s "$PREVIOUS_ADMIN" ] || fail "cannot authenticate as ${ADMIN_USER} at $BOOTSTRAP (and no previous password to fall back on)"
  ADMIN_CONFIG="$WORK/admin-previous.properties"
  client_config ${ADMIN_USER} "$PREVIOUS_ADMIN" >"$ADMIN_CONFIG"
  authenticates "$ADMIN_CONFIG" || fail "cannot authenticate as ${ADMIN_USER} with the current or the previous password"
  set_scram ${ADMIN_USER} "$USERS_DIR/${ADMIN_USER}"
  ADMIN_CONFIG="$WORK/admin.properties"
}

# A user whose Secret password already works is left alone (re-setting would only churn the metadata log).
reconcile_users() {
  local user
  while IFS= read -r user; do
    [ -n "$user" ] && [ "$user" != ${ADMIN_USER} ] || continue
    [ -s "$USERS_DIR/$user" ] || fail "no password file for user $user (is its ExternalSecret synced?)"
    client_config "$user" "$USERS_DIR/$user" >"$WORK/user.properties"
    if authenticates "$WORK/user.properties"; then log "scram $user: up to date"; else set_scram "$user" "$USERS_DIR/$user"; fi
  done <"$PLAN/${PLAN_FILES.scramUsers}"
  while IFS= read -r user; do
    [ -n "$user" ] || continue
    if configs --describe --entity-type users --entity-name "$user" | grep -q 'SCRAM-SHA-512'; then
      configs --alter --entity-type users --entity-name "$user" --delete-config SCRAM-SHA-512 >/dev/null
      log "scram $user: retired, credential deleted"
    fi
  done <"$PLAN/${PLAN_FILES.retiredUsers}"
}`;
}

function mtlsAdminSection(): string {
  return `connect_as_admin() {
  ADMIN_CONFIG="$WORK/admin.properties"
  client_config >"$ADMIN_CONFIG"
  authenticates "$ADMIN_CONFIG" || fail "cannot authenticate as ${ADMIN_USER} (client certificate) at $BOOTSTRAP"
}`;
}
