#!/usr/bin/env bash
# Restarts the Kafka pods that need it, one at a time, without ever taking a write away from acks=all producers:
# a pod needs a restart when it started before its role's certificate was last issued, or when it runs an older
# revision than its StatefulSet's (every StatefulSet uses OnDelete, so a new template, image or config only reaches a
# pod through this script). Controllers go first, then brokers, each in name order. Before each restart the cluster
# must afford losing that node (kafka-admin.sh: no under-replicated partition, nothing below or, with this broker, at
# min.insync.replicas; every voter caught up); after it, the node must be back and caught up within the bounded wait.
# Groups marked "-" in roll.plan are left to Kubernetes' own RollingUpdate and only checked for certificates.
# Once every pod is current, the finalized feature levels are raised to the plan's. What to look at is data in the
# plan beside this script (roll.env, roll.plan, roll.nodes, features.plan, feature-levels).
#
# Exit 0: done, or waiting (a pod not Ready, a check not met, an eviction refused by the disruption budget) and the
# next run continues. Exit 1: an error (a Kubernetes or Kafka call failed, a restarted node did not catch up in time).
set -euo pipefail
umask 077
readonly PLAN_DIR="${ROLLER_PLAN_DIR:-$(dirname "$0")}"
readonly ADMIN_DIR="${ADMIN_DIR:-/etc/kafka-roller/admin}"
readonly KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
# Both are read by kafka-admin.sh.
# shellcheck disable=SC2034
readonly FEATURE_LEVELS="$PLAN_DIR/feature-levels" LOG_TAG=kafka-roller
WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT
# ROLLER_NAMESPACE, KAFKA_POD_SELECTOR, NODE_COUNT, CONTROLLER_COUNT, CATCH_UP_TIMEOUT_SECONDS, POLL_SECONDS and
# QUORUM_CAUGHT_UP_MS, written by the model.
# shellcheck source=/dev/null
. "$PLAN_DIR/roll.env"
# shellcheck source=/dev/null
. "$PLAN_DIR/kafka-admin.sh"
readonly NS="$ROLLER_NAMESPACE"
# The Kafka image has no kubectl: the pod copies one in (KUBECTL names it).
readonly KUBECTL="${KUBECTL:-kubectl}"

# kubectl in the Kafka namespace; its output lands in $WORK/k. Any failure is an error of the run.
k() {
  "$KUBECTL" -n "$NS" "$@" >"$WORK/k" 2>"$WORK/k.err" || fail "kubectl $* failed: $(tr '\n' ' ' <"$WORK/k.err" | cut -c1-600)"
}

# Pods of selector $1 as "name|uid|startTime|revision|ready" lines, sorted by name, into $WORK/pods.
list_pods() {
  k get pods -l "$1" -o 'jsonpath={range .items[*]}{.metadata.name}{"|"}{.metadata.uid}{"|"}{.status.startTime}{"|"}{.metadata.labels.controller-revision-hash}{"|"}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
  LC_ALL=C sort "$WORK/k" >"$WORK/pods"
}

# Every node pod exists and is Ready, so nothing else is restarting.
all_ready() {
  list_pods "$KAFKA_POD_SELECTOR"
  NOT_READY="$(awk -F'|' '$5 != "True" { print $1 }' "$WORK/pods" | tr '\n' ' ')"
  [ -z "$NOT_READY" ] && [ "$(wc -l <"$WORK/pods")" -eq "$NODE_COUNT" ]
}

# Each roll.plan step with its StatefulSet's update revision and its certificate's issue time, read once per run,
# as "role|selector|revision|notBefore|group|certificate" lines in $WORK/steps.
read_steps() {
  local role group selector certificate revision not_before
  : >"$WORK/steps"
  while IFS='|' read -r role group selector certificate; do
    [ -n "$role" ] || continue
    revision=''
    if [ "$group" != - ]; then
      k get statefulset "$group" -o 'jsonpath={.status.updateRevision}'
      revision="$(cat "$WORK/k")"
    fi
    not_before=''
    if [ "$certificate" != - ]; then
      k get certificate "$certificate" -o 'jsonpath={.status.notBefore}'
      not_before="$(cat "$WORK/k")"
    fi
    printf '%s|%s|%s|%s|%s|%s\n' "$role" "$selector" "$revision" "$not_before" "$group" "$certificate" >>"$WORK/steps"
  done <"$PLAN_DIR/roll.plan"
}

# Sets NEXT to "role|pod|uid|selector|reason" of the first pod that needs a restart, or to nothing.
find_next() {
  NEXT=''
  local role selector revision not_before group certificate name uid started pod_revision
  while IFS='|' read -r role selector revision not_before group certificate; do
    list_pods "$selector"
    while IFS='|' read -r name uid started pod_revision _; do
      # RFC 3339 UTC timestamps compare correctly as strings.
      if [ -n "$not_before" ] && [[ "$started" < "$not_before" ]]; then
        NEXT="$role|$name|$uid|$selector|started $started, before certificate $certificate was issued at $not_before"
        return 0
      fi
      if [ -n "$revision" ] && [ "$pod_revision" != "$revision" ]; then
        NEXT="$role|$name|$uid|$selector|runs revision $pod_revision, $group is at $revision"
        return 0
      fi
    done <"$WORK/pods"
  done <"$WORK/steps"
}

node_id_of() { awk -F'|' -v pod="$1" '$1 == pod { print $2 }' "$PLAN_DIR/roll.nodes"; }

# True once pod $1 of selector $3 is a new pod (uid other than $2) and Ready.
replaced_and_ready() {
  list_pods "$3"
  awk -F'|' -v pod="$1" -v old="$2" '$1 == pod && $2 != old && $5 == "True" { found = 1 } END { exit !found }' "$WORK/pods"
}

# The Eviction API honours the PodDisruptionBudgets; a refusal (429) is a wait, any other failure an error.
evict() {
  if printf '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"%s"}}' "$1" "$NS" |
    "$KUBECTL" create --raw "/api/v1/namespaces/$NS/pods/$1/eviction" -f - >/dev/null 2>"$WORK/evict.err"; then
    return 0
  fi
  if grep -q 'TooManyRequests\|disruption budget' "$WORK/evict.err"; then
    log "eviction of $1 refused by the disruption budget; the next run retries"
    exit 0
  fi
  fail "eviction of $1 failed: $(tr '\n' ' ' <"$WORK/evict.err" | cut -c1-600)"
}

# $1 = "role|pod|uid|selector|reason": check, evict, wait until back and caught up.
restart() {
  local role pod uid selector reason id
  IFS='|' read -r role pod uid selector reason <<<"$1"
  if [ "$role" = broker ]; then
    id="$(node_id_of "$pod")"
    [ -n "$id" ] || fail "no node id for $pod in roll.nodes"
    broker_restart_blocker "$id"
  else
    quorum_blocker
  fi
  if [ -n "$BLOCKER" ]; then
    log "not restarting $pod ($reason): $BLOCKER; the next run retries"
    exit 0
  fi
  log "restarting $pod: $reason"
  evict "$pod"
  wait_until "$pod to come back Ready" replaced_and_ready "$pod" "$uid" "$selector"
  if [ "$role" = broker ]; then
    wait_until "the partitions of broker $id to catch up (under-replicated partitions)" brokers_in_sync
  else
    wait_until "controller $pod to catch up with the quorum leader" quorum_caught_up
  fi
  log "$pod is back and in sync"
}

load_connection
if ! all_ready; then
  log "waiting: not every Kafka pod is Ready (${NOT_READY:-a pod is missing}); nothing restarted"
  exit 0
fi
read_steps
restarted=0
while true; do
  find_next
  [ -n "$NEXT" ] || break
  restart "$NEXT"
  restarted=$((restarted + 1))
done
log "every pod runs its current certificate and revision ($restarted restarted in this run)"
bump_features "$PLAN_DIR/features.plan"
log "done"
