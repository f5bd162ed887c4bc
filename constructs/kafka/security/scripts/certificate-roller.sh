#!/usr/bin/env bash
# Restarts at most one Kafka pod per run: first one that still runs with a certificate older than the one
# cert-manager last issued (controllers first), then one broker of an OnDelete StatefulSet that runs an outdated
# revision. The same script serves every cluster; what to look at is data in the roll plan beside it
# (ROLLER_PLAN_FILES). Safe to run any number of times.
set -euo pipefail
readonly PLAN_DIR="${ROLLER_PLAN_DIR:-$(dirname "$0")}"
# ROLLER_NAMESPACE and KAFKA_POD_SELECTOR, written by the model.
# shellcheck source=/dev/null
. "$PLAN_DIR/roll.env"
readonly NS="$ROLLER_NAMESPACE"

log() { printf '%s\n' "certificate-roller: $*" >&2; }

# Every Kafka pod Ready, so the previous restart has finished before the next one starts.
all_ready() {
  local statuses
  statuses="$(kubectl get pods -n "$NS" -l "$KAFKA_POD_SELECTOR" -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}')"
  [ -n "$statuses" ] && ! printf '%s\n' "$statuses" | grep -qv '^True$'
}

# $1 = pod. The Eviction API refuses (429) when a PodDisruptionBudget would be violated; the next run retries.
evict() {
  if printf '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"%s"}}' "$1" "$NS" |
    kubectl create --raw "/api/v1/namespaces/$NS/pods/$1/eviction" -f - >/dev/null; then
    return 0
  fi
  log "eviction of $1 refused (disruption budget); retrying next run"
}

# $1 = Certificate, $2 = pod selector. Evicts the first pod (by name) started before the certificate's notBefore.
# RFC 3339 UTC timestamps compare correctly as strings.
roll_one() {
  local not_before name started
  not_before="$(kubectl get certificate "$1" -n "$NS" -o jsonpath='{.status.notBefore}')"
  [ -n "$not_before" ] || { log "$1 not issued yet"; return 1; }
  while read -r name started; do
    [ -n "$name" ] || continue
    if [[ "$started" < "$not_before" ]]; then
      log "evicting $name: started $started, certificate $1 renewed $not_before"
      evict "$name"
      return 0
    fi
  done < <(kubectl get pods -n "$NS" -l "$2" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.startTime}{"\n"}{end}' | LC_ALL=C sort)
  return 1
}

# $1 = StatefulSet with updateStrategy OnDelete, $2 = its pod selector. Evicts the first pod (by name) whose
# controller-revision-hash is not the StatefulSet's updateRevision, so it comes back with the current template.
roll_outdated() {
  local revision name pod_revision
  revision="$(kubectl get statefulset "$1" -n "$NS" -o jsonpath='{.status.updateRevision}')"
  [ -n "$revision" ] || return 1
  while read -r name pod_revision; do
    [ -n "$name" ] || continue
    if [ "$pod_revision" != "$revision" ]; then
      log "evicting $name: runs revision $pod_revision, $1 is at $revision"
      evict "$name"
      return 0
    fi
  done < <(kubectl get pods -n "$NS" -l "$2" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.labels.controller-revision-hash}{"\n"}{end}' | LC_ALL=C sort)
  return 1
}

# $1 = step kind (certificate or statefulset): runs the plan's steps of that kind in order; true once one evicted.
run_steps() {
  local kind name selector
  while IFS='|' read -r kind name selector; do
    [ "$kind" = "$1" ] || continue
    case "$kind" in
      certificate) roll_one "$name" "$selector" && return 0 ;;
      statefulset) roll_outdated "$name" "$selector" && return 0 ;;
    esac
  done <"$PLAN_DIR/roll.plan"
  return 1
}

if ! all_ready; then
  log "not every Kafka pod is Ready; nothing restarted"
  exit 0
fi
run_steps certificate && exit 0
log "every pod runs its current certificate"
run_steps statefulset && exit 0
log "every broker runs its StatefulSet's current revision"
