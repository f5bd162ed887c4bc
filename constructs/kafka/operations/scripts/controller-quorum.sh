#!/usr/bin/env bash
# Changes the KRaft voter set one controller at a time, after Kafka 4.1's in-place migration to a dynamic quorum
# (kraft.version 1), refusing any step the quorum cannot afford. Run from an admin host (VMs) or a pod with the Kafka
# tools and the admin's credentials, or on a controller with NODE_CONFIG set (Kubernetes: in a controller pod);
# docs/operations.md has the whole procedure.
#
#   controller-quorum.sh status
#   controller-quorum.sh add <node id> <the new controller's .properties>   on that controller's host or in its pod,
#                                                                           once it runs as a caught-up observer
#   controller-quorum.sh remove <node id>                                   before stopping it (or for a lost disk)
#
# Before a step: kraft.version is 1, every voter has caught up, and the voters after it keep at most
# ceil(voters / zones) in any zone (quorum.zones: "id|zone" of every controller id the spec may place). After it:
# the bounded wait until the quorum shows the change with every voter caught up. Exit 0: done; 1: an error; 2: refused.
set -euo pipefail
umask 077
readonly PLAN_DIR="${QUORUM_PLAN_DIR:-$(dirname "$0")}"
readonly ADMIN_DIR="${ADMIN_DIR:-$PLAN_DIR}"
readonly KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
# Both are read by kafka-admin.sh.
# shellcheck disable=SC2034
readonly FEATURE_LEVELS="$PLAN_DIR/feature-levels" LOG_TAG=controller-quorum
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT
# CATCH_UP_TIMEOUT_SECONDS, POLL_SECONDS, QUORUM_CAUGHT_UP_MS, ZONE_COUNT and CONTROLLER_BOOTSTRAP, written by the model.
# shellcheck source=/dev/null
. "$PLAN_DIR/quorum.env"
# shellcheck source=/dev/null
. "$PLAN_DIR/kafka-admin.sh"

refuse() { log "refused: $*"; exit 2; }

# Voter ids (Leader and Follower rows of describe --replication), one per line, into $WORK/voters.
read_voters() {
  kafka_tool kafka-metadata-quorum.sh describe --replication
  cp "$WORK/out" "$WORK/replication"
  awk '$7 == "Leader" || $7 == "Follower" { print $1 }' "$WORK/replication" | sort -n >"$WORK/voters"
  # Read by quorum_blocker in kafka-admin.sh: the quorum is whatever it is now.
  # shellcheck disable=SC2034
  CONTROLLER_COUNT="$(wc -l <"$WORK/voters" | tr -d ' ')"
}

# $1 = "observer" or "voter": node $2's row is of that kind and caught up with the leader.
caught_up_as() {
  read_voters
  awk -v id="$2" -v kind="$1" -v limit="$QUORUM_CAUGHT_UP_MS" '
    $7 == "Leader" { leader = $6 }
    $1 == id { status = $7; caught = $6 }
    END {
      ok = (kind == "observer" ? status == "Observer" : (status == "Follower" || status == "Leader"))
      exit !(ok && leader != "" && caught >= 0 && leader - caught <= limit)
    }' "$WORK/replication"
}

# Refuses unless kraft.version is finalized at 1: a static quorum has no membership to change.
require_dynamic() {
  kafka_tool kafka-features.sh describe
  grep -Eq '^Feature: kraft.version[[:space:]].*FinalizedVersionLevel: 1[[:space:]]' "$WORK/out" ||
    refuse "kraft.version is not 1: the quorum is static; set kafka.features.kraftVersion: 1 and let the roller finalize it first"
}

# Refuses a voter set (ids on stdin) that crowds a zone beyond ceil(voters / zones); warns when the loss of one zone
# would leave no majority (unavoidable for 4 voters in 3 zones: take the next step right after).
check_spread() {
  awk -F'|' -v zones="$ZONE_COUNT" '
    FILENAME == ARGV[1] { zone[$1] = $2; next }
    { n++; if (!($1 in zone)) { printf "node %s is not a controller id of this cluster (quorum.zones)\n", $1; bad = 1; exit } per[zone[$1]]++ }
    END {
      if (bad) exit 1
      limit = int((n + zones - 1) / zones)
      for (z in per) if (per[z] > limit) { printf "%d of %d voters would be in zone %s (at most %d)\n", per[z], n, z, limit; exit 1 }
      for (z in per) if (n - per[z] <= n / 2) printf "warning: losing zone %s would leave %d of %d voters, no majority: take the next step right away\n", z, n - per[z], n > "/dev/stderr"
    }' "$PLAN_DIR/quorum.zones" - >"$WORK/spread" || refuse "$(cat "$WORK/spread")"
}

not_a_voter() {
  read_voters
  ! grep -qx "$1" "$WORK/voters"
}

require_healthy() {
  quorum_blocker
  [ -z "$BLOCKER" ] || refuse "$BLOCKER"
}

# On a controller (its pod reaches only the controller listener), NODE_CONFIG=<its .properties> makes every call go
# to the controllers with that node's own identity instead of the admin's through the brokers.
if [ -n "${NODE_CONFIG:-}" ]; then
  # shellcheck disable=SC2034  # read by kafka_tool
  ADMIN_ENDPOINT_FLAG=--bootstrap-controller BOOTSTRAP="$CONTROLLER_BOOTSTRAP" ADMIN_CONFIG="$NODE_CONFIG"
else
  load_connection
fi
case "${1:-}" in
  status)
    read_voters
    cat "$WORK/replication"
    check_spread <"$WORK/voters"
    ;;
  add)
    id="${2:?usage: controller-quorum.sh add <node id> <its .properties>}"
    config="${3:?usage: controller-quorum.sh add <node id> <its .properties>}"
    [ -r "$config" ] || fail "cannot read $config"
    require_dynamic
    read_voters
    if grep -qx "$id" "$WORK/voters"; then log "node $id is a voter already"; exit 0; fi
    require_healthy
    caught_up_as observer "$id" || refuse "node $id is not a caught-up observer yet: start it (storage formatted --no-initial-controllers) and wait"
    { cat "$WORK/voters"; printf '%s\n' "$id"; } | check_spread
    # The new controller announces itself with its own identity and directory id: its config, on its own host.
    "$KAFKA_BIN/kafka-metadata-quorum.sh" --bootstrap-controller "$CONTROLLER_BOOTSTRAP" --command-config "$config" add-controller >"$WORK/out" 2>&1 ||
      fail "add-controller for node $id failed: $(tr '\n' ' ' <"$WORK/out" | cut -c1-600)"
    wait_until "node $id to become a caught-up voter" caught_up_as voter "$id"
    log "node $id is a voter"
    ;;
  remove)
    id="${2:?usage: controller-quorum.sh remove <node id>}"
    require_dynamic
    read_voters
    grep -qx "$id" "$WORK/voters" || { log "node $id is not a voter"; exit 0; }
    directory="$(awk -v id="$id" '$1 == id && ($7 == "Leader" || $7 == "Follower") { print $2 }' "$WORK/replication")"
    # The others must hold a majority of the new, smaller quorum, caught up; a lost voter is the one not caught up.
    grep -vx "$id" "$WORK/voters" | check_spread
    awk -v id="$id" -v limit="$QUORUM_CAUGHT_UP_MS" '$7 == "Leader" { leader = $6 } $7 == "Follower" && $1 != id { f[$1] = $6 }
      END { for (v in f) if (leader - f[v] > limit) { printf "voter %s is not caught up\n", v; exit 1 } }' "$WORK/replication" >"$WORK/lagging" ||
      refuse "$(cat "$WORK/lagging")"
    kafka_tool kafka-metadata-quorum.sh remove-controller --controller-id "$id" --controller-directory-id "$directory"
    wait_until "node $id to leave the voters" not_a_voter "$id"
    log "node $id is no longer a voter (directory $directory); stop it now"
    ;;
  *) fail "usage: controller-quorum.sh status | add <node id> <its .properties> | remove <node id>" ;;
esac
