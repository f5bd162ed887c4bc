#!/usr/bin/env bash
# Reconciles the SCRAM users and ACLs of a Kafka cluster with the plan rendered from its environment spec
# (environments/<env>.ts). The same script runs on every cluster and runtime: what differs is data, in the plan
# directory (connection.env and one file per list). Safe to run any number of times.
set -euo pipefail
umask 077

readonly BIN="${KAFKA_BIN:-/opt/kafka/bin}"
readonly PLAN="${PLAN_DIR:-/etc/kafka-reconcile/plan}"
readonly USERS_DIR="${USERS_DIR:-/etc/kafka-reconcile/users}"
readonly PREVIOUS_ADMIN="${PREVIOUS_ADMIN_DIR:-/etc/kafka-reconcile/admin-previous}/password"
readonly CA_DIR="${CA_DIR:-/etc/kafka-reconcile/ca}"
readonly ADMIN_TLS_DIR="${ADMIN_TLS_DIR:-/etc/kafka-reconcile/admin-tls}"

# KAFKA_CLUSTER, KAFKA_BOOTSTRAP_SERVER, CLIENT_SECURITY_PROTOCOL, CLIENT_TLS (true|false),
# CLIENT_AUTHENTICATION (scram-sha-512|mtls) and ADMIN_USER, written by the model (PLAN_FILES.connection).
# shellcheck source=/dev/null
. "$PLAN/connection.env"
readonly BOOTSTRAP="${BOOTSTRAP_SERVER:-$KAFKA_BOOTSTRAP_SERVER}"
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT

log() { printf '%s\n' "reconcile: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

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

configs() { "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@"; }
acls() { "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@"; }

# Sets user $1's SCRAM-SHA-512 credential to the password in file $2.
set_scram() {
  local password
  password="$(cat "$2")"
  check_password "$1" "$password"
  configs --alter --entity-type users --entity-name "$1" --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
  log "scram $1: credential set"
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
      log "scram $user: retired, credential deleted"
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
  log "acl $1 $2"
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

log "cluster $KAFKA_CLUSTER at $BOOTSTRAP"
case "$CLIENT_AUTHENTICATION" in
  scram-sha-512)
    connect_as_scram_admin
    reconcile_users
    ;;
  mtls) connect_as_mtls_admin ;;
  *) fail "CLIENT_AUTHENTICATION=$CLIENT_AUTHENTICATION: the reconcile needs scram-sha-512 or mtls" ;;
esac
reconcile_acls
log "done"
