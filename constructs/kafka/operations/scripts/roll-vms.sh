#!/usr/bin/env bash
# Replaces the EC2 instances of a VM cluster one at a time (controllers first, then brokers) with the same checks as
# the Kubernetes roller (kafka-admin.sh): a broker only when no partition is under-replicated or would drop below
# min.insync.replicas without it, a controller only when every voter has caught up; after each replacement, a bounded
# wait until the node is back and in sync. Then raises the finalized feature levels to the plan's. Run it from an
# admin host (or an SSM session on one) that reaches the client listener and holds the <env>-kafka stack:
#
#   roll-vms.sh <initialized stack folder> [node name ...]     (all nodes when none are named)
#
# Terraform shows each plan and asks before applying it unless ROLL_AUTO_APPROVE=true. Exit 0: done; 1: an error
# (a tool failed, a node did not come back in time); 2: refused (a check not met; nothing was replaced).
set -euo pipefail
umask 077
readonly PLAN_DIR="${ROLL_PLAN_DIR:-$(dirname "$0")}"
readonly ADMIN_DIR="${ADMIN_DIR:-$PLAN_DIR}"
readonly KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
# Both are read by kafka-admin.sh.
# shellcheck disable=SC2034
readonly FEATURE_LEVELS="$PLAN_DIR/feature-levels" LOG_TAG=roll-vms
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT
# CONTROLLER_COUNT, CATCH_UP_TIMEOUT_SECONDS, POLL_SECONDS and QUORUM_CAUGHT_UP_MS, written by the model.
# shellcheck source=/dev/null
. "$PLAN_DIR/roll-vms.env"
# shellcheck source=/dev/null
. "$PLAN_DIR/kafka-admin.sh"

[ $# -ge 1 ] || fail "usage: $0 <initialized <env>-kafka stack folder> [node name ...]"
readonly STACK="$1"
shift

# Node name -> Terraform address of its instance, from the stack's `replace_addresses` output (a flat JSON map).
terraform -chdir="$STACK" output -json replace_addresses >"$WORK/addresses.json" 2>"$WORK/tf.err" ||
  fail "terraform output replace_addresses failed in $STACK: $(tr '\n' ' ' <"$WORK/tf.err" | cut -c1-600)"
grep -o '"[^"]*" *: *"[^"]*"' "$WORK/addresses.json" | sed 's/^"\([^"]*\)" *: *"\([^"]*\)"$/\1|\2/' >"$WORK/addresses"

address_of() { awk -F'|' -v node="$1" '$1 == node { print $2 }' "$WORK/addresses"; }

# role|name|nodeId lines, controllers first: the named nodes in plan order, or all of them.
if [ $# -gt 0 ]; then
  for name in "$@"; do grep -q "^[a-z]*|$name|" "$PLAN_DIR/roll-vms.nodes" || fail "$name is not a node of this cluster (roll-vms.nodes)"; done
  printf '%s\n' "$@" >"$WORK/wanted"
  awk -F'|' 'FILENAME == ARGV[1] { want[$0] = 1; next } $2 in want' "$WORK/wanted" "$PLAN_DIR/roll-vms.nodes" >"$WORK/nodes"
else
  cp "$PLAN_DIR/roll-vms.nodes" "$WORK/nodes"
fi

load_connection
# The node list is read on fd 3: terraform keeps the caller's stdin for its approval prompt.
while IFS='|' read -r role name id <&3; do
  address="$(address_of "$name")"
  [ -n "$address" ] || fail "the stack's replace_addresses output has no $name"
  if [ "$role" = broker ]; then broker_restart_blocker "$id"; else quorum_blocker; fi
  if [ -n "$BLOCKER" ]; then
    log "refusing to replace $name: $BLOCKER"
    exit 2
  fi
  log "replacing $name ($address)"
  approve=()
  if [ "${ROLL_AUTO_APPROVE:-false}" = true ]; then approve=(-auto-approve); fi
  terraform -chdir="$STACK" apply -input=false "${approve[@]}" -replace="$address" 2>"$WORK/tf.err" ||
    fail "terraform apply -replace=$address failed: $(tr '\n' ' ' <"$WORK/tf.err" | cut -c1-600)"
  if [ "$role" = broker ]; then
    wait_until "broker $id ($name) to register again" broker_registered "$id"
    wait_until "the partitions of broker $id to catch up (under-replicated partitions)" brokers_in_sync
  else
    wait_until "controller $name to catch up with the quorum leader" quorum_caught_up
  fi
  log "$name is back and in sync"
done 3<"$WORK/nodes"
bump_features "$PLAN_DIR/features.plan"
log "done"
