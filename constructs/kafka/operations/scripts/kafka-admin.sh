#!/usr/bin/env bash
# Sourced by the operations scripts (roller, VM roll, reassignment): how the admin connects, and the safety checks
# every restart and every move relies on, with Kafka's own tools. Every tool call that fails is an error that ends
# the run (fail), never a silent "not ready"; a check that is not met is a refusal the caller reports.
#
# Reads, from the caller's environment: KAFKA_BIN, ADMIN_DIR (connection.env; the admin's password file `password`
# or, for mutual TLS, tls.crt/tls.key; ca.crt) and WORK (a private scratch folder).

log() { printf '%s\n' "${LOG_TAG:-kafka-admin}: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

# KAFKA_BOOTSTRAP_SERVER, CLIENT_SECURITY_PROTOCOL, CLIENT_TLS (true|false) and
# CLIENT_AUTHENTICATION (scram-sha-512|mtls|none), ADMIN_USER: written by the model.
load_connection() {
  # shellcheck source=/dev/null
  . "$ADMIN_DIR/connection.env"
  BOOTSTRAP="${BOOTSTRAP_SERVER:-$KAFKA_BOOTSTRAP_SERVER}"
  ADMIN_CONFIG="$WORK/admin.properties"
  {
    printf '%s\n' "security.protocol=$CLIENT_SECURITY_PROTOCOL"
    if [ "$CLIENT_TLS" = true ]; then printf '%s\n' 'ssl.truststore.type=PEM' "ssl.truststore.location=$ADMIN_DIR/ca.crt"; fi
    case "$CLIENT_AUTHENTICATION" in
      scram-sha-512)
        local password
        password="$(cat "$ADMIN_DIR/password")" || fail "cannot read the admin password in $ADMIN_DIR/password"
        case "$password" in '' | *[!A-Za-z0-9._~+-]*) fail "the admin password is empty or has characters other than A-Z a-z 0-9 . _ ~ + -" ;; esac
        printf '%s\n' 'sasl.mechanism=SCRAM-SHA-512'
        printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' "$ADMIN_USER" "$password"
        ;;
      mtls)
        # The PEM files are read through a config provider, as the brokers read theirs (no keystore password).
        printf '%s\n' 'ssl.keystore.type=PEM' 'config.providers=admintls' 'config.providers.admintls.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider'
        # shellcheck disable=SC2016
        printf '%s\n' "ssl.keystore.certificate.chain=\${admintls:$ADMIN_DIR:tls.crt}" "ssl.keystore.key=\${admintls:$ADMIN_DIR:tls.key}"
        ;;
      none) ;;
      *) fail "CLIENT_AUTHENTICATION=$CLIENT_AUTHENTICATION is not scram-sha-512, mtls or none" ;;
    esac
  } >"$ADMIN_CONFIG"
}

# Runs a Kafka tool as the admin; its output goes to $WORK/out. A failure is fatal, with the tool's own message.
kafka_tool() {
  local tool="$1"
  shift
  # ADMIN_ENDPOINT_FLAG=--bootstrap-controller talks to the controller listener instead (controller-quorum.sh).
  if ! "$KAFKA_BIN/$tool" "${ADMIN_ENDPOINT_FLAG:---bootstrap-server}" "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" "$@" >"$WORK/out" 2>"$WORK/err"; then
    fail "$tool $* failed: $(cat "$WORK/out" "$WORK/err" | tr '\n' ' ' | cut -c1-600)"
  fi
}

# The `want` column (Isr or Replicas) of kafka-topics.sh partition lines on stdin, one "<topic>-<partition> 1,2,3"
# per partition ("Topic: t<TAB>Partition: 0<TAB>Leader: 1<TAB>Replicas: 1,2,3<TAB>Isr: 1,2<TAB>Elr: ...").
partition_column() {
  awk -v want="$1" -F'\t' '/Partition: / {
    topic = ""; part = ""; ids = ""
    for (i = 1; i <= NF; i++) {
      f = $i; sub(/^[ ]+/, "", f)
      if (f ~ /^Topic: /) topic = substr(f, 8)
      else if (f ~ /^Partition: /) part = substr(f, 12)
      else if (index(f, want ": ") == 1) ids = substr(f, length(want) + 3)
    }
    if (topic != "") print topic "-" part " " ids
  }'
}

# Partitions ("topic-partition") of partition_column lines on stdin whose list holds node $1.
holding() { awk -v id="$1" '{ n = split($2, ids, ","); for (i = 1; i <= n; i++) if (ids[i] == id) print $1 }'; }

# Sets BLOCKER to why broker $1 must not stop now, or to nothing when it may: no partition under-replicated or under
# its min ISR anywhere, and no partition at its min ISR with this broker in the ISR (stopping it would fail the
# acks=all producers of that partition). Tool errors end the run.
broker_restart_blocker() {
  BLOCKER=''
  kafka_tool kafka-topics.sh --describe --under-replicated-partitions
  BLOCKER="$(partition_column Isr <"$WORK/out" | head -n 5 | tr '\n' ';')"
  if [ -n "$BLOCKER" ]; then BLOCKER="under-replicated partitions (partition isr): $BLOCKER"; return 0; fi
  kafka_tool kafka-topics.sh --describe --under-min-isr-partitions
  BLOCKER="$(partition_column Isr <"$WORK/out" | head -n 5 | tr '\n' ';')"
  if [ -n "$BLOCKER" ]; then BLOCKER="partitions below min.insync.replicas: $BLOCKER"; return 0; fi
  # Dev may turn this off (PROTECT_MIN_ISR=false): a single broker could never restart otherwise.
  [ "${PROTECT_MIN_ISR:-true}" = true ] || return 0
  kafka_tool kafka-topics.sh --describe --at-min-isr-partitions
  BLOCKER="$(partition_column Isr <"$WORK/out" | holding "$1" | head -n 5 | tr '\n' ' ')"
  if [ -n "$BLOCKER" ]; then BLOCKER="partitions at min.insync.replicas with broker $1 in their ISR: $BLOCKER"; fi
}

# True when no partition is under-replicated (a restarted broker has caught up).
brokers_in_sync() {
  kafka_tool kafka-topics.sh --describe --under-replicated-partitions
  ! grep -q 'Partition: ' "$WORK/out"
}

# True once broker $1 is registered and unfenced (it appears in the cluster's broker list again).
broker_registered() {
  kafka_tool kafka-broker-api-versions.sh
  grep -q "(id: $1 " "$WORK/out"
}

# Sets HELD to the partitions ("topic-partition" per line) with a replica on broker $1.
replicas_on_broker() {
  kafka_tool kafka-topics.sh --describe
  # shellcheck disable=SC2034  # read by the script that sources this file
  HELD="$(partition_column Replicas <"$WORK/out" | holding "$1")"
}

# Sets BLOCKER to why the quorum cannot lose a controller now, or to nothing: all CONTROLLER_COUNT voters known, a
# leader, and every follower caught up, i.e. the leader saw it at its log end at most QUORUM_CAUGHT_UP_MS before the
# leader's own time. Columns: NodeId DirectoryId LogEndOffset Lag LastFetchTimestamp LastCaughtUpTimestamp Status.
quorum_blocker() {
  kafka_tool kafka-metadata-quorum.sh describe --replication
  BLOCKER="$(awk -v expected="$CONTROLLER_COUNT" -v limit="$QUORUM_CAUGHT_UP_MS" '
    $7 == "Leader" { leader = $6; voters++ }
    $7 == "Follower" { voters++; n++; id[n] = $1; caught[n] = $6 }
    END {
      if (leader == "") { print "the quorum has no leader"; exit }
      if (voters != expected) { printf "the quorum reports %d voters, expected %d\n", voters, expected; exit }
      for (v = 1; v <= n; v++) if (caught[v] < 0 || leader - caught[v] > limit) { printf "voter %s is not caught up (%d ms behind the leader)\n", id[v], leader - caught[v]; exit }
    }' "$WORK/out")"
}

quorum_caught_up() {
  quorum_blocker
  [ -z "$BLOCKER" ]
}

# Waits until "$@" succeeds, at most CATCH_UP_TIMEOUT_SECONDS, or fails the run naming what it waited for ($1...).
wait_until() {
  local what="$1" deadline=$((SECONDS + CATCH_UP_TIMEOUT_SECONDS))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "gave up after ${CATCH_UP_TIMEOUT_SECONDS}s waiting for $what"
    sleep "$POLL_SECONDS"
  done
}

# Raises the finalized feature levels to the plan's (file $1, "name=level" per line), one `--feature` each, so
# `kraft.version` moves only when the plan names it (`upgrade --release-version` would move it too). A finalized
# level above the plan's is never lowered: that is an error, as is a level the cluster does not support yet.
bump_features() {
  [ -s "$1" ] || return 0
  kafka_tool kafka-features.sh describe
  cp "$WORK/out" "$WORK/features"
  local name want line finalized supported
  while IFS='=' read -r name want; do
    [ -n "$name" ] || continue
    line="$(grep -E "^Feature: ${name}[[:space:]]" "$WORK/features" || true)"
    finalized="$(printf '%s\n' "$line" | sed -n 's/.*FinalizedVersionLevel: \([^[:space:]]*\).*/\1/p')"
    supported="$(printf '%s\n' "$line" | sed -n 's/.*SupportedMaxVersion: \([^[:space:]]*\).*/\1/p')"
    [ -n "$supported" ] || fail "the cluster does not know feature $name (kafka-features.sh describe)"
    if [ "$(level_number "$name" "${finalized:-0}")" -eq "$want" ]; then log "feature $name: at $finalized"; continue; fi
    [ "$(level_number "$name" "${finalized:-0}")" -lt "$want" ] || fail "feature $name is finalized at $finalized, above the plan's $want: levels are never lowered"
    [ "$(level_number "$name" "$supported")" -ge "$want" ] || fail "feature $name: the cluster supports at most $supported, the plan wants $want (are all nodes upgraded?)"
    kafka_tool kafka-features.sh upgrade --feature "$name=$want"
    log "feature $name: upgraded from $finalized to $want"
  done <"$1"
}

# metadata.version is shown as 4.1-IV1; FEATURE_LEVELS maps those names to Kafka's numeric levels.
level_number() {
  if [ "$1" = metadata.version ]; then
    awk -v v="$2" -F'=' '$1 == v { print $2; found = 1 } END { if (!found) print -1 }' "$FEATURE_LEVELS"
  else
    printf '%s\n' "$2"
  fi
}
