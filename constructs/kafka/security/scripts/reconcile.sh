#!/usr/bin/env bash
# Reconciles the SCRAM users, ACLs, topics and client quotas of a Kafka cluster with the plan rendered from its
# environment spec (environments/<env>.ts). The same script runs on every cluster and runtime (the Kubernetes
# CronJob, the controllers' systemd timer on VMs): what differs is data, in the plan directory (connection.env and
# one file per list). Safe to run any number of times; a run that finds nothing to do says so.
# It never deletes what the plan does not own: ACLs of other principals, topics not in the spec (reported as
# unmanaged), quotas of undeclared entities. What it must not do (lower partitions, change a replication factor)
# it refuses with the reason, applies everything else, and exits 3.
set -euo pipefail
umask 077

readonly BIN="${KAFKA_BIN:-/opt/kafka/bin}"
readonly PLAN="${PLAN_DIR:-/etc/kafka-reconcile/plan}"
readonly USERS_DIR="${USERS_DIR:-/etc/kafka-reconcile/users}"
readonly PREVIOUS_ADMIN="${PREVIOUS_ADMIN_DIR:-/etc/kafka-reconcile/admin-previous}/password"
readonly CA_DIR="${CA_DIR:-/etc/kafka-reconcile/ca}"
readonly ADMIN_TLS_DIR="${ADMIN_TLS_DIR:-/etc/kafka-reconcile/admin-tls}"

# KAFKA_CLUSTER, KAFKA_BOOTSTRAP_SERVER, CLIENT_SECURITY_PROTOCOL, CLIENT_TLS (true|false),
# CLIENT_AUTHENTICATION (scram-sha-512|mtls|none) and ADMIN_USER, written by the model (PLAN_FILES.connection).
# ACTIVE_CONTROLLER_NODE_ID (environment, VMs): act only while this node is the active controller.
# shellcheck source=/dev/null
. "$PLAN/connection.env"
readonly BOOTSTRAP="${BOOTSTRAP_SERVER:-$KAFKA_BOOTSTRAP_SERVER}"
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT

log() { printf '%s\n' "reconcile: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }
# Changes made by this run, and what it refused to do.
CHANGES=0
changed() { CHANGES=$((CHANGES + 1)); log "$*"; }
refuse() { printf '%s\n' "$*" >>"$WORK/refused"; log "REFUSED: $*"; }

# Passwords go into a JAAS line and a kafka-configs value; refuse characters that would break either
# (generated passwords are alphanumeric). The password itself is never printed.
check_password() {
  case "$2" in
    '') fail "the password of user $1 is empty" ;;
    *[!A-Za-z0-9._~+-]*) fail "the password of user $1 contains characters other than A-Z a-z 0-9 . _ ~ + -" ;;
  esac
}

# The client listener's trust settings, when it uses TLS: the CA of the brokers' certificates.
tls_client_config() {
  if [ "$CLIENT_TLS" = true ]; then
    printf '%s\n' 'ssl.truststore.type=PEM' "ssl.truststore.location=$CA_DIR/ca.crt"
  fi
}

# SCRAM client config for user $1 with the password in file $2; printed to stdout.
scram_client_config() {
  local password
  password="$(cat "$2")"
  check_password "$1" "$password"
  printf '%s\n' "security.protocol=$CLIENT_SECURITY_PROTOCOL" 'sasl.mechanism=SCRAM-SHA-512'
  printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' "$1" "$password"
  tls_client_config
}

# Mutual TLS client config: the admin authenticates with its own certificate (CN=admin).
# ssl.keystore.certificate.chain/ssl.keystore.key take PEM *content*, not file names, and a PEM key store file
# (ssl.keystore.location) is refused without ssl.key.password, i.e. an unencrypted key: so the files are read
# through a DirectoryConfigProvider, exactly as the brokers read their own.
mtls_client_config() {
  printf '%s\n' "security.protocol=$CLIENT_SECURITY_PROTOCOL" 'ssl.keystore.type=PEM'
  printf '%s\n' 'config.providers=admintls' 'config.providers.admintls.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider'
  # The ${admintls:...} placeholders are for Kafka's config provider, not for this shell.
  # shellcheck disable=SC2016
  printf '%s\n' "ssl.keystore.certificate.chain=\${admintls:$ADMIN_TLS_DIR:tls.crt}" "ssl.keystore.key=\${admintls:$ADMIN_TLS_DIR:tls.key}"
  tls_client_config
}

authenticates() {
  timeout 120 "$BIN/kafka-broker-api-versions.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$1" >/dev/null 2>&1
}

# The tools never read stdin; closing it keeps them from swallowing the plan file a loop reads.
configs() { "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@" </dev/null; }
acls() { "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@" </dev/null; }
topics() { "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@" </dev/null; }

# Sets user $1's SCRAM-SHA-512 credential to the password in file $2. The password travels in a properties file
# in this run's private directory (--add-config-file), never on a command line, where ps would show it.
set_scram() {
  local password
  password="$(cat "$2")"
  check_password "$1" "$password"
  printf 'SCRAM-SHA-512=iterations=8192,password=%s\n' "$password" >"$WORK/scram.properties"
  configs --alter --entity-type users --entity-name "$1" --add-config-file "$WORK/scram.properties" >/dev/null
  rm -f "$WORK/scram.properties"
  changed "scram $1: credential set"
}

# Acts as the admin. After a rotation of the admin password in Secrets Manager, Kafka still knows the previous
# one: authenticate with it (from the AWSPREVIOUS version) and set the new one.
connect_as_scram_admin() {
  ADMIN_CONFIG="$WORK/admin.properties"
  scram_client_config "$ADMIN_USER" "$USERS_DIR/$ADMIN_USER" >"$ADMIN_CONFIG"
  authenticates "$ADMIN_CONFIG" && return 0
  [ -s "$PREVIOUS_ADMIN" ] || fail "cannot authenticate as $ADMIN_USER at $BOOTSTRAP (and no previous password to fall back on)"
  ADMIN_CONFIG="$WORK/admin-previous.properties"
  scram_client_config "$ADMIN_USER" "$PREVIOUS_ADMIN" >"$ADMIN_CONFIG"
  authenticates "$ADMIN_CONFIG" || fail "cannot authenticate as $ADMIN_USER with the current or the previous password"
  set_scram "$ADMIN_USER" "$USERS_DIR/$ADMIN_USER"
  ADMIN_CONFIG="$WORK/admin.properties"
}

connect_as_mtls_admin() {
  ADMIN_CONFIG="$WORK/admin.properties"
  mtls_client_config >"$ADMIN_CONFIG"
  authenticates "$ADMIN_CONFIG" || fail "cannot authenticate as $ADMIN_USER (client certificate) at $BOOTSTRAP"
}

# A user whose Secret password already works is left alone (re-setting would only churn the metadata log).
reconcile_users() {
  local user
  while IFS= read -r user; do
    if [ -z "$user" ] || [ "$user" = "$ADMIN_USER" ]; then continue; fi
    [ -s "$USERS_DIR/$user" ] || fail "no password file for user $user (is its ExternalSecret synced?)"
    scram_client_config "$user" "$USERS_DIR/$user" >"$WORK/user.properties"
    if authenticates "$WORK/user.properties"; then log "scram $user: up to date"; else set_scram "$user" "$USERS_DIR/$user"; fi
  done <"$PLAN/users.scram"
  while IFS= read -r user; do
    [ -n "$user" ] || continue
    if configs --describe --entity-type users --entity-name "$user" | grep -q 'SCRAM-SHA-512'; then
      configs --alter --entity-type users --entity-name "$user" --delete-config SCRAM-SHA-512 >/dev/null
      changed "scram $user: retired, credential deleted"
    fi
  done <"$PLAN/users.retired"
}

# "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=x, patternType=LITERAL)`:" then one
# "(principal=User:a, host=*, operation=WRITE, permissionType=ALLOW)" per ACL  ->  the plan's line format.
parse_acls() {
  awk '
    /^Current ACLs for resource/ {
      s = $0; sub(/.*resourceType=/, "", s); type = s; sub(/, name=.*/, "", type)
      s = $0; sub(/.*, name=/, "", s); sub(/, patternType=[A-Z_]*\).*$/, "", s); name = s
      s = $0; sub(/.*patternType=/, "", s); sub(/\).*/, "", s); pattern = s
      next
    }
    /\(principal=/ {
      s = $0; sub(/^[ \t]*\(principal=/, "", s); principal = s; sub(/, host=.*/, "", principal)
      s = $0; sub(/.*, host=/, "", s); host = s; sub(/, operation=.*/, "", host)
      s = $0; sub(/.*, operation=/, "", s); operation = s; sub(/, permissionType=.*/, "", operation)
      s = $0; sub(/.*permissionType=/, "", s); sub(/\).*/, "", s); permission = s
      print principal "|" permission "|" host "|" operation "|" type "|" pattern "|" name
    }'
}

# DESCRIBE_CONFIGS -> DescribeConfigs, the spelling kafka-acls.sh documents.
operation_arg() { printf '%s\n' "$1" | awk -F_ '{ for (i = 1; i <= NF; i++) printf "%s%s", substr($i, 1, 1), tolower(substr($i, 2)); print "" }'; }

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
  changed "acl $1 $2"
  acls "${args[@]}" >/dev/null
}

reconcile_acls() {
  acls --list >"$WORK/acls.list"
  parse_acls <"$WORK/acls.list" | LC_ALL=C sort -u >"$WORK/acls.current"
  LC_ALL=C sort -u "$PLAN/acls.desired" >"$WORK/acls.desired"
  # Add what the plan wants and the cluster lacks.
  awk 'FILENAME == ARGV[1] { have[$0] = 1; next } NF > 0 && !($0 in have)' "$WORK/acls.current" "$WORK/acls.desired" >"$WORK/acls.add"
  # Remove only ACLs of owned principals that the plan no longer wants; every other principal is left alone.
  awk -F'|' 'FILENAME == ARGV[1] { own[$0] = 1; next } FILENAME == ARGV[2] { want[$0] = 1; next } ($1 in own) && !($0 in want)' \
    "$PLAN/principals.owned" "$WORK/acls.desired" "$WORK/acls.current" >"$WORK/acls.remove"
  local line
  while IFS= read -r line; do apply_acl --add "$line"; done <"$WORK/acls.add"
  while IFS= read -r line; do apply_acl --remove "$line"; done <"$WORK/acls.remove"
  log "acls: $(wc -l <"$WORK/acls.add" | tr -d ' ') added, $(wc -l <"$WORK/acls.remove" | tr -d ' ') removed"
}

connect_without_authentication() {
  ADMIN_CONFIG="$WORK/admin.properties"
  { printf '%s\n' "security.protocol=$CLIENT_SECURITY_PROTOCOL"; tls_client_config; } >"$ADMIN_CONFIG"
  authenticates "$ADMIN_CONFIG" || fail "cannot connect to $BOOTSTRAP"
}

# On VMs every controller runs this on a timer; only the active controller's host acts, so exactly one node
# reconciles while any quorum majority is up, and the loss of any one node only moves the job elsewhere.
act_only_as_active_controller() {
  [ -n "${ACTIVE_CONTROLLER_NODE_ID:-}" ] || return 0
  local leader
  leader="$("$BIN/kafka-metadata-quorum.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" describe --status </dev/null |
    awk -F': *' '$1 == "LeaderId" { print $2 }')"
  [ -n "$leader" ] || fail "cannot tell the active controller (kafka-metadata-quorum.sh describe --status)"
  if [ "$leader" != "$ACTIVE_CONTROLLER_NODE_ID" ]; then
    log "node $ACTIVE_CONTROLLER_NODE_ID is not the active controller (node $leader is): standing by"
    exit 0
  fi
}

# kafka-topics.sh --describe header lines -> name|partitions|replicationFactor.
parse_topics() {
  awk -F'\t' '/^Topic: / {
    name = ""; partitions = ""; rf = ""
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^Topic: /) name = substr($i, 8)
      else if ($i ~ /^PartitionCount: /) partitions = substr($i, 17)
      else if ($i ~ /^ReplicationFactor: /) rf = substr($i, 20)
    }
    print name "|" partitions "|" rf
  }'
}

# kafka-configs.sh --describe --entity-type topics -> name|key|value, per-topic (dynamic) configs only.
parse_topic_configs() {
  awk '
    /^Dynamic configs for topic .* are:$/ { topic = $0; sub(/^Dynamic configs for topic /, "", topic); sub(/ are:$/, "", topic); next }
    /^  [^=]+=.* sensitive=(true|false) synonyms=\{.*\}$/ && topic != "" {
      entry = substr($0, 3); sub(/ sensitive=(true|false) synonyms=\{.*\}$/, "", entry)
      key = entry; sub(/=.*/, "", key)
      print topic "|" key "|" substr(entry, length(key) + 2)
    }'
}

# kafka-topics.sh --alter and --delete take --topic as a regular expression (TopicCommand's IncludeList), so
# "old.events" would also match "old-events": escape the dots, the only metacharacter topic names can hold.
exactly() { printf '%s\n' "$1" | sed 's/[.]/\\./g'; }

# Lines "key=value" of topic $1 from a name|key|value file $2.
configs_of() { awk -F'|' -v topic="$1" '$1 == topic { print $2 "=" substr($0, length($1) + length($2) + 3) }' "$2"; }

create_topic() {
  local args=(--create --topic "$1" --partitions "$2" --replication-factor "$3") config
  while IFS= read -r config; do args+=(--config "$config"); done < <(configs_of "$1" "$PLAN/topics.configs")
  topics "${args[@]}" >/dev/null
  changed "topic $1: created with $2 partitions, replication factor $3"
}

# Sets the configs of topic $1 that differ from the plan and removes per-topic configs the plan no longer declares.
# The throttles kafka-reassign-partitions.sh sets during a reassignment are its own and stay.
alter_topic_configs() {
  configs_of "$1" "$PLAN/topics.configs" | LC_ALL=C sort >"$WORK/want.properties"
  configs_of "$1" "$WORK/topics.current-configs" | LC_ALL=C sort >"$WORK/have.properties"
  awk 'FILENAME == ARGV[1] { have[$0] = 1; next } !($0 in have)' "$WORK/have.properties" "$WORK/want.properties" >"$WORK/set.properties"
  local remove
  remove="$(awk -F= 'FILENAME == ARGV[1] { want[$1] = 1; next } !($1 in want) && $1 != "leader.replication.throttled.replicas" && $1 != "follower.replication.throttled.replicas" { print $1 }' \
    "$WORK/want.properties" "$WORK/have.properties" | paste -sd, -)"
  local args=(--alter --entity-type topics --entity-name "$1")
  [ -s "$WORK/set.properties" ] && args+=(--add-config-file "$WORK/set.properties")
  [ -n "$remove" ] && args+=(--delete-config "$remove")
  [ "${#args[@]}" -gt 5 ] || return 0
  configs "${args[@]}" >/dev/null
  changed "topic $1: configs set [$(cut -d= -f1 "$WORK/set.properties" | paste -sd, -)] removed [$remove]"
}

reconcile_topics() {
  topics --describe --exclude-internal >"$WORK/topics.describe"
  parse_topics <"$WORK/topics.describe" | LC_ALL=C sort >"$WORK/topics.current"
  configs --describe --entity-type topics >"$WORK/configs.describe"
  parse_topic_configs <"$WORK/configs.describe" >"$WORK/topics.current-configs"
  local name partitions rf state current have_partitions have_rf
  while IFS='|' read -r name partitions rf state; do
    [ -n "$name" ] || continue
    current="$(awk -F'|' -v topic="$name" '$1 == topic { print $2 "|" $3; exit }' "$WORK/topics.current")"
    if [ "$state" = deleted ]; then
      if [ -n "$current" ]; then
        topics --delete --topic "$(exactly "$name")" >/dev/null
        changed "topic $name: deleted (marked deleted in the spec)"
      fi
      continue
    fi
    if [ -z "$current" ]; then create_topic "$name" "$partitions" "$rf"; continue; fi
    have_partitions="${current%|*}"
    have_rf="${current#*|}"
    if [ "$have_rf" != "$rf" ]; then
      refuse "topic $name: replication factor $have_rf on the cluster, $rf in the spec; changing it moves data: run a rack-aware, throttled kafka-reassign-partitions.sh by hand (docs/topics.md)"
    fi
    if [ "$partitions" -lt "$have_partitions" ]; then
      refuse "topic $name: the spec asks for $partitions partitions, the cluster has $have_partitions; Kafka cannot remove partitions (create a new topic and migrate)"
    elif [ "$partitions" -gt "$have_partitions" ]; then
      topics --alter --topic "$(exactly "$name")" --partitions "$partitions" >/dev/null
      changed "topic $name: partitions raised from $have_partitions to $partitions"
    fi
    alter_topic_configs "$name"
  done <"$PLAN/topics.desired"
  # Topics no spec owns are reported and left alone; internal (__*) topics are Kafka's.
  awk -F'|' 'FILENAME == ARGV[1] { owned[$1] = 1; next } !($1 in owned) && $1 !~ /^__/ { print $1 }' \
    "$PLAN/topics.desired" "$WORK/topics.current" >"$WORK/topics.unmanaged"
  while IFS= read -r name; do log "topic $name: unmanaged (not in the spec), left alone"; done <"$WORK/topics.unmanaged"
}

# The entity options of kafka-configs.sh for user $1 and client id $2 (either may be empty, <default> = default).
quota_entity() {
  ENTITY=()
  local type name
  for type in users clients; do
    if [ "$type" = users ]; then name="$1"; else name="$2"; fi
    if [ "$name" = '<default>' ]; then ENTITY+=(--entity-type "$type" --entity-default)
    elif [ -n "$name" ]; then ENTITY+=(--entity-type "$type" --entity-name "$name"); fi
  done
}

# Sets the declared limits of each owned quota entity and removes its limits the plan no longer declares.
# Kafka keeps quotas as doubles (1048576 reads back as 1048576.0 or 1.048576E7), so values compare as numbers.
reconcile_quotas() {
  local user client set remove
  while IFS='|' read -r user client; do
    [ -n "$user$client" ] || continue
    quota_entity "$user" "$client"
    configs --describe "${ENTITY[@]}" | awk '/^Quota configs for .* are / { sub(/^Quota configs for .* are /, ""); n = split($0, parts, ", "); for (i = 1; i <= n; i++) print parts[i] }' >"$WORK/quota.have"
    awk -F'|' -v user="$user" -v client="$client" '$1 == user && $2 == client { print $3 "=" $4 }' "$PLAN/quotas.desired" >"$WORK/quota.want"
    set="$(awk -F= 'FILENAME == ARGV[1] { have[$1] = $2; next } !($1 in have) || have[$1] + 0 != $2 + 0' "$WORK/quota.have" "$WORK/quota.want" | paste -sd, -)"
    remove="$(awk -F= 'FILENAME == ARGV[1] { want[$1] = 1; next } !($1 in want) { print $1 }' "$WORK/quota.want" "$WORK/quota.have" | paste -sd, -)"
    local args=(--alter "${ENTITY[@]}")
    [ -n "$set" ] && args+=(--add-config "$set")
    [ -n "$remove" ] && args+=(--delete-config "$remove")
    [ -n "$set$remove" ] || continue
    configs "${args[@]}" >/dev/null
    changed "quota ${user:+user $user }${client:+client-id $client }: set [$set] removed [$remove]"
  done <"$PLAN/quotas.entities"
}

log "cluster $KAFKA_CLUSTER at $BOOTSTRAP"
case "$CLIENT_AUTHENTICATION" in
  scram-sha-512) connect_as_scram_admin ;;
  mtls) connect_as_mtls_admin ;;
  none) connect_without_authentication ;;
  *) fail "CLIENT_AUTHENTICATION=$CLIENT_AUTHENTICATION: the reconcile needs scram-sha-512, mtls or none" ;;
esac
act_only_as_active_controller
[ "$CLIENT_AUTHENTICATION" = scram-sha-512 ] && reconcile_users
# Without authentication there is no authoriser, hence no ACLs.
[ "$CLIENT_AUTHENTICATION" = none ] || reconcile_acls
reconcile_topics
reconcile_quotas
if [ -s "$WORK/refused" ]; then
  log "done with $CHANGES change(s); refused $(wc -l <"$WORK/refused" | tr -d ' '):"
  while IFS= read -r line; do log "  $line"; done <"$WORK/refused"
  exit 3
fi
if [ "$CHANGES" -eq 0 ]; then log "done: nothing to change, the cluster matches the plan"; else log "done: $CHANGES change(s)"; fi
