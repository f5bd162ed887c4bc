import type { ResolvedSpec } from '../spec/environment-spec';
import { brokerUpdateStrategy } from '../kubernetes/deployment-plan';
import type { NodeRole } from '../model/sizing';
import { brokerGroupName } from '../model/topology';

/**
 * How renewed certificates reach running nodes. Kafka loads its PEM files at start and cert-manager renews them
 * in place, so a node must restart. Restarting every StatefulSet on a Secret change (Reloader-style) would restart
 * one broker per zone at once, i.e. up to every replica of a partition; instead a CronJob restarts at most one pod per
 * run through the Eviction API, which honours the PodDisruptionBudgets, and only while every Kafka pod is Ready:
 * controllers first, then brokers, each pod whose start predates its role's current certificate.
 *
 * The same one-pod-at-a-time mechanism finishes broker StatefulSet updates: with several zones brokers use
 * `updateStrategy: OnDelete` (Kubernetes would otherwise update every zone's StatefulSet at once), so a changed
 * template (a config change moves its checksum annotation) only reaches a broker when it restarts. Once no certificate
 * is pending, the roller evicts the first broker still running an older revision than its StatefulSet's
 * `updateRevision`; the StatefulSet re-creates it from the new template.
 */

export const ROLLER_SCRIPT_KEY = 'roll.sh';

/** Labels of the roller's pods (NetworkPolicy and RBAC select on them). */
export function certificateRollerLabels(spec: ResolvedSpec): Record<string, string> {
  return { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName, 'app.kubernetes.io/component': 'certificate-roller' };
}

export function certificateName(spec: ResolvedSpec, role: NodeRole): string {
  return `${spec.kafka.clusterName}-${role}`;
}

/** Broker StatefulSets whose pods only take a new template on restart, with each one's pod selector. */
export function onDeleteBrokerGroups(spec: ResolvedSpec): { name: string; selector: string }[] {
  if (brokerUpdateStrategy(spec) !== 'OnDelete') return [];
  return spec.aws.availabilityZones.map((zone) => ({
    name: brokerGroupName(spec, zone),
    selector: selector({ 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName, 'app.kubernetes.io/component': 'broker', 'kafka.zone': zone }),
  }));
}

function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** The roller script (bash + kubectl). Pure: same spec, same bytes. */
export function renderCertificateRollerScript(spec: ResolvedSpec): string {
  if (spec.runtime.kind !== 'kubernetes') throw new Error('the certificate roller runs on Kubernetes only');
  const namespace = spec.runtime.namespace;
  // Only the nodes: the cluster's job pods (this one included) share the other labels and are never Ready when done.
  const kafkaPods = `${selector({ 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName })},app.kubernetes.io/component in (broker,controller)`;
  const roles: NodeRole[] = ['controller', 'broker'];
  const steps = roles
    .map((role) => {
      const pods = selector({ 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName, 'app.kubernetes.io/component': role });
      return `roll_one ${certificateName(spec, role)} '${pods}' && exit 0`;
    })
    .join('\n');
  const revisionSteps = onDeleteBrokerGroups(spec)
    .map((group) => `roll_outdated ${group.name} '${group.selector}' && exit 0`)
    .join('\n');
  return `#!/usr/bin/env bash
# Restarts at most one Kafka pod of cluster ${spec.kafka.clusterName} (namespace ${namespace}) that still runs with a certificate
# older than the one cert-manager last issued. Generated; do not edit. Safe to run any number of times.
set -euo pipefail
readonly NS='${namespace}'

log() { printf '%s\\n' "certificate-roller: $*" >&2; }

# Every Kafka pod Ready, so the previous restart has finished before the next one starts.
all_ready() {
  local statuses
  statuses="$(kubectl get pods -n "$NS" -l '${kafkaPods}' -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}')"
  [ -n "$statuses" ] && ! printf '%s\\n' "$statuses" | grep -qv '^True$'
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
  done < <(kubectl get pods -n "$NS" -l "$2" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.startTime}{"\\n"}{end}' | LC_ALL=C sort)
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
  done < <(kubectl get pods -n "$NS" -l "$2" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.labels.controller-revision-hash}{"\\n"}{end}' | LC_ALL=C sort)
  return 1
}

if ! all_ready; then
  log "not every Kafka pod is Ready; nothing restarted"
  exit 0
fi
${steps}
log "every pod runs its current certificate"
${revisionSteps}
log "every broker runs its StatefulSet's current revision"
`;
}
