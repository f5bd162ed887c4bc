#!/usr/bin/env bash
# Moves partition replicas with Kafka's kafka-reassign-partitions.sh: throttled, resumable, verified, and the
# throttles removed once verification finds every move done. Three uses:
#
#   reassign.sh apply <reassignment.json>   a reviewed plan (npm run plan-reassignment) after a scale-out
#   reassign.sh drain                       moves every replica off the brokers drain.plan lists, then checks them
#   reassign.sh check-drained               succeeds only when those brokers hold no replica
#
# Interrupted, it is run again the same way: moves already started are waited for, not restarted. Exit 0: done;
# 1: an error (a tool failed, the wait timed out, a draining broker still holds replicas).
set -euo pipefail
umask 077
readonly PLAN_DIR="${REASSIGN_PLAN_DIR:-$(dirname "$0")}"
readonly ADMIN_DIR="${ADMIN_DIR:-$PLAN_DIR}"
readonly KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
# Read by kafka-admin.sh.
# shellcheck disable=SC2034
readonly LOG_TAG=reassign
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT
# THROTTLE_BYTES_PER_SECOND, REASSIGN_TIMEOUT_SECONDS and POLL_SECONDS, written by the model.
# shellcheck source=/dev/null
. "$PLAN_DIR/reassign.env"
# shellcheck source=/dev/null
. "$PLAN_DIR/kafka-admin.sh"

reassign() { kafka_tool kafka-reassign-partitions.sh "$@"; }

# Counts of the --verify lines of plan $1 (with throttles kept): sets DONE, RUNNING and PENDING.
verify_state() {
  reassign --verify --reassignment-json-file "$1" --preserve-throttles
  DONE="$(grep -c 'is completed\.' "$WORK/out" || true)"
  RUNNING="$(grep -c 'is still in progress\.' "$WORK/out" || true)"
  PENDING="$(grep -c '^There is no active reassignment' "$WORK/out" || true)"
}

all_done() {
  verify_state "$1"
  log "reassignment: $DONE done, $RUNNING in progress, $PENDING not started"
  [ "$RUNNING" -eq 0 ] && [ "$PENDING" -eq 0 ]
}

# Executes plan $1 unless every move in it has started already, waits until all are done, then verifies once more
# without --preserve-throttles, which removes the replication throttles.
apply_plan() {
  [ -s "$1" ] || fail "no reassignment plan at $1"
  verify_state "$1"
  if [ "$PENDING" -gt 0 ]; then
    local additional=()
    # Moves of this plan already running (an interrupted run): submit the rest beside them.
    if [ "$RUNNING" -gt 0 ]; then additional=(--additional); fi
    log "starting $PENDING moves, throttled to $THROTTLE_BYTES_PER_SECOND bytes/s per broker"
    reassign --execute --reassignment-json-file "$1" --throttle "$THROTTLE_BYTES_PER_SECOND" "${additional[@]}"
    # Kafka prints the assignment before the change: keep it, it is the rollback plan.
    sed -n '/^{/p' "$WORK/out" | head -n 1 >"${ROLLBACK_FILE:-$WORK/rollback.json}"
  else
    log "every move of the plan has started already; waiting for them"
  fi
  local saved_timeout="$CATCH_UP_TIMEOUT_SECONDS"
  CATCH_UP_TIMEOUT_SECONDS="$REASSIGN_TIMEOUT_SECONDS"
  wait_until "the reassignment to finish (run again to keep waiting)" all_done "$1"
  CATCH_UP_TIMEOUT_SECONDS="$saved_timeout"
  reassign --verify --reassignment-json-file "$1"
  log "reassignment verified; throttles removed"
}

# Every replica on a draining broker moves to the least loaded staying broker the partition lacks: of the same zone
# if the zone keeps brokers, else of a zone the partition has no replica in (the zone spread holds). Partition lines
# on stdin, brokers as "id|zone|keep|draining" lines in $1; the JSON plan on stdout (empty when nothing moves).
drain_plan() {
  partition_column Replicas | awk -v brokers="$1" '
    BEGIN {
      while ((getline line < brokers) > 0) { split(line, f, "|"); zone[f[1]] = f[2]; state[f[1]] = f[3]; if (f[3] == "keep") keep[f[1]] = 1 }
    }
    { name[NR] = $1; list[NR] = $2; n = split($2, r, ","); for (i = 1; i <= n; i++) load[r[i]]++ }
    END {
      out = ""
      for (p = 1; p <= NR; p++) {
        n = split(list[p], r, ","); changed = 0
        for (i = 1; i <= n; i++) {
          if (state[r[i]] != "draining") continue
          best = ""
          for (pass = 1; pass <= 2 && best == ""; pass++) {
            for (b in keep) {
              if (pass == 1 && zone[b] != zone[r[i]]) continue
              taken = 0
              for (j = 1; j <= n; j++) if (r[j] == b || (pass == 2 && j != i && zone[r[j]] == zone[b])) taken = 1
              if (taken) continue
              if (best == "" || load[b] < load[best] || (load[b] == load[best] && b + 0 < best + 0)) best = b
            }
          }
          if (best == "") { printf "no staying broker can take %s from broker %s without two replicas in one zone\n", name[p], r[i] > "/dev/stderr"; exit 1 }
          load[r[i]]--; load[best]++; r[i] = best; changed = 1
        }
        if (!changed) continue
        topic = name[p]; part = topic; sub(/-[0-9]+$/, "", topic); sub(/^.*-/, "", part)
        replicas = r[1]; for (i = 2; i <= n; i++) replicas = replicas "," r[i]
        out = out (out == "" ? "" : ",\n") sprintf("  {\"topic\": \"%s\", \"partition\": %d, \"replicas\": [%s]}", topic, part, replicas)
      }
      if (out != "") printf "{\"version\": 1, \"partitions\": [\n%s\n]}\n", out
    }' 2>"$WORK/drain.err" || fail "$(cat "$WORK/drain.err")"
}

check_drained() {
  local id held=0
  while IFS='|' read -r id _ state; do
    [ "$state" = draining ] || continue
    replicas_on_broker "$id"
    if [ -n "$HELD" ]; then
      log "broker $id still holds $(printf '%s\n' "$HELD" | wc -l | tr -d ' ') replicas: $(printf '%s\n' "$HELD" | head -n 5 | tr '\n' ' ')"
      held=1
    else
      log "broker $id holds no replicas: drained"
    fi
  done <"$PLAN_DIR/drain.plan"
  [ "$held" -eq 0 ] || fail "draining brokers still hold replicas"
}

load_connection
CATCH_UP_TIMEOUT_SECONDS="$REASSIGN_TIMEOUT_SECONDS"
case "${1:-}" in
  apply) apply_plan "${2:?usage: reassign.sh apply <reassignment.json>}" ;;
  drain)
    grep -q '|draining$' "$PLAN_DIR/drain.plan" || fail "drain.plan lists no draining broker (operations.brokers.draining)"
    kafka_tool kafka-topics.sh --describe
    drain_plan "$PLAN_DIR/drain.plan" <"$WORK/out" >"$WORK/drain.json"
    if [ -s "$WORK/drain.json" ]; then
      log "moves of the drain:"
      cat "$WORK/drain.json" >&2
      apply_plan "$WORK/drain.json"
    fi
    check_drained
    ;;
  check-drained) check_drained ;;
  *) fail "usage: reassign.sh apply <reassignment.json> | drain | check-drained" ;;
esac
