import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashShebang } from '../../support/bash-path';

/**
 * Stand-ins for Kafka's admin tools and kubectl, as bash scripts on a PATH of their own, driven by files in a state
 * folder. Every call is appended to `events`, so a test can assert what ran and in which order. They implement the
 * output formats of Kafka 4.x's tools (TopicCommand partition lines, MetadataQuorumCommand's replication table,
 * FeatureCommand's describe lines) and kubectl's jsonpath output the scripts ask for.
 *
 * Kafka state files: `urp`, `under-min`, `at-min` (partition lines printed for each filter), `describe` (every
 * partition), `quorum` (the replication table), `features` (describe output). After an eviction or a replacement,
 * `urp-pending` / `quorum-pending` are printed instead for `catch-up-polls` calls (the node catching up). A file
 * `fail-<tool>` makes that tool fail like a broken connection. `kafka-reassign-partitions.sh --verify` prints
 * `verify`; `--execute` replaces it with `verify-completed` (after `verify-pending` for catch-up-polls calls).
 */
export class StubWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'ops-stubs-'));
  readonly bin = join(this.dir, 'bin');
  readonly state = join(this.dir, 'state');

  constructor() {
    mkdirSync(this.bin);
    mkdirSync(this.state);
    for (const [name, text] of Object.entries(STUBS)) {
      writeFileSync(join(this.bin, name), text.replace(/^#!\/usr\/bin\/env bash$/m, bashShebang()).replaceAll('@STATE@', this.state));
      chmodSync(join(this.bin, name), 0o755);
    }
    this.reset();
  }

  reset(): void {
    rmSync(this.state, { recursive: true, force: true });
    mkdirSync(this.state);
    this.write('events', '');
  }

  write(file: string, text: string): void {
    writeFileSync(join(this.state, file), text);
  }

  read(file: string): string {
    const path = join(this.state, file);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  events(): string[] {
    return this.read('events').split('\n').filter(Boolean);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A partition line as `kafka-topics.sh --describe` prints it (TopicCommand.PartitionDescription). */
export function partitionLine(topic: string, partition: number, replicas: number[], isr: number[]): string {
  return `\tTopic: ${topic}\tPartition: ${partition}\tLeader: ${isr[0] ?? 'none'}\tReplicas: ${replicas.join(',')}\tIsr: ${isr.join(',')}\tElr: \tLastKnownElr: \n`;
}

/** `kafka-metadata-quorum.sh describe --replication`, leader first; `behindMs` per follower id. */
export function quorumTable(leader: number, followers: Record<number, number>, observers: number[] = []): string {
  const now = 1760635202277;
  const rows = [
    `NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t`,
    `${leader}     \tU3fHvCoMVWiCVYa2ri_K5w\t875         \t0  \t${now}     \t${now}        \tLeader  \t`,
    ...Object.entries(followers).map(([id, behind]) => `${id}     \tg3OMYG2gvmLCeE9Nv-Cz5Q\t875         \t0  \t${now - behind}     \t${now - behind}        \tFollower\t`),
    ...observers.map((id) => `${id}     \tO4DOa5i6JbE-tKXvTnU9rA\t875         \t0  \t${now}     \t${now}        \tObserver\t`),
  ];
  return `${rows.join('\n')}\n`;
}

/** `kafka-features.sh describe` lines. */
export function featuresTable(features: Record<string, { max: string; finalized: string }>): string {
  return Object.entries(features)
    .map(([name, { max, finalized }]) => `Feature: ${name}\tSupportedMinVersion: 0\tSupportedMaxVersion: ${max}\tFinalizedVersionLevel: ${finalized}\tEpoch: 7\n`)
    .join('');
}

const KAFKA_TOOL = `#!/usr/bin/env bash
# A Kafka admin tool stand-in; see test/operations/support/kafka-stubs.ts.
set -eu
S='@STATE@'
@EMIT@
tool="\${0##*/}"
case "$1" in --bootstrap-server | --bootstrap-controller) shift 4 ;; esac
printf '%s %s\\n' "$tool" "$*" >>"$S/events"
if [ -e "$S/fail-$tool" ]; then echo "Error while executing: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment."; exit 1; fi
# While a restarted node catches up, the pending variant is printed for catch-up-polls calls.
pending() {
  local polls
  polls=0
  if [ -e "$S/$1-polls" ]; then { IFS= read -r polls <"$S/$1-polls" || true; }; fi
  if [ "$polls" -gt 0 ]; then echo $((polls - 1)) >"$S/$1-polls"; emit "$S/$1-pending"; else emit "$S/$1" 2>/dev/null || true; fi
}
case "$tool $*" in
  *"--under-replicated-partitions"*) pending urp ;;
  *"--under-min-isr-partitions"*) emit "$S/under-min" 2>/dev/null || true ;;
  *"--at-min-isr-partitions"*) emit "$S/at-min" 2>/dev/null || true ;;
  "kafka-topics.sh"*"--describe"*) emit "$S/describe" 2>/dev/null || true ;;
  "kafka-metadata-quorum.sh"*"describe --replication"*) pending quorum ;;
  "kafka-metadata-quorum.sh"*"-controller"*) cp "$S/quorum-after" "$S/quorum"; echo "done" ;;
  "kafka-features.sh"*" describe"*) emit "$S/features" ;;
  "kafka-broker-api-versions.sh"*) pending brokers ;;
  "kafka-features.sh"*" upgrade "*) echo "upgraded" ;;
  "kafka-reassign-partitions.sh"*"--verify"*) pending verify ;;
  "kafka-reassign-partitions.sh"*"--execute"*)
    cp "$S/verify-completed" "$S/verify"
    if [ -e "$S/verify-pending" ]; then cp "$S/catch-up-polls" "$S/verify-polls"; fi
    printf '%s\\n' 'Current partition replica assignment' '' '{"version":1,"partitions":[]}' '' 'Save this to use as the --reassignment-json-file option during rollback'
    echo "Successfully started partition reassignments" ;;
  *) echo "unexpected $tool $*" >&2; exit 2 ;;
esac
`;

const KUBECTL = `#!/usr/bin/env bash
# kubectl stand-in; pods are lines "name|uid|startTime|revision|ready" in $S/pods.
set -eu
S='@STATE@'
@EMIT@
@RESTARTED@
[ "$1" = -n ] && shift 2
args="$*"
case "$args" in
  "get pods -l "*) echo "kubectl get pods $4" >>"$S/events" ;;
  *) echo "kubectl $args" >>"$S/events" ;;
esac
if [ -e "$S/fail-kubectl" ]; then echo 'error: You must be logged in to the server (Unauthorized)' >&2; exit 1; fi
case "$args" in
  "get pods -l "*"in (broker,controller)"*) emit "$S/pods" ;;
  "get pods -l "*"component=controller"*) grep -- '-controller-' "$S/pods" || true ;;
  "get pods -l "*"kafka.zone="*) zone="\${4##*kafka.zone=}"; grep -- "-broker-$zone-" "$S/pods" || true ;;
  "get statefulset "*) emit "$S/revision-$3" ;;
  "get certificate "*) emit "$S/cert-$3" ;;
  "create --raw "*)
    cat >/dev/null
    pod="\${3%/eviction}"; pod="\${pod##*/}"
    if [ -e "$S/evict-refuse" ]; then echo 'Error from server (TooManyRequests): Cannot evict pod as it would violate the pod'"'"'s disruption budget.' >&2; exit 1; fi
    if [ -e "$S/evict-error" ]; then echo 'Error from server (Forbidden): pods "'"$pod"'" is forbidden' >&2; exit 1; fi
    group="\${pod%-*}"
    revision="$(cat "$S/revision-$group" 2>/dev/null || echo r1)"
    ready=True; [ -e "$S/stuck-$pod" ] && ready=False
    awk -F'|' -v OFS='|' -v pod="$pod" -v rev="$revision" -v ready="$ready" '$1 == pod { $2 = $2 "-new"; $3 = "2026-09-09T00:00:00Z"; $4 = rev; $5 = ready } { print }' "$S/pods" >"$S/pods.next"
    mv "$S/pods.next" "$S/pods"
    restarted "$pod" ;;
  *) echo "unexpected kubectl $args" >&2; exit 2 ;;
esac
`;

const TERRAFORM = `#!/usr/bin/env bash
# terraform stand-in: the stack's replace_addresses output, and apply -replace (the node goes away and comes back).
set -eu
S='@STATE@'
@EMIT@
@RESTARTED@
echo "terraform $*" >>"$S/events"
if [ -e "$S/fail-terraform" ]; then echo 'Error: error configuring Terraform AWS Provider: no valid credential sources' >&2; exit 1; fi
case "$*" in
  *"output -json replace_addresses"*) emit "$S/addresses.json" ;;
  *" apply "*"-replace="*) restarted "$*" ;;
  *) echo "unexpected terraform $*" >&2; exit 2 ;;
esac
`;

/**
 * After a restart the node catches up: each `<what>-pending` is printed for the next catch-up-polls calls (the
 * quorum's after a controller, under-replicated partitions and the broker list after a broker).
 */
const RESTARTED = `restarted() {
  local what
  case "$1" in *controller*) set -- quorum ;; *) set -- urp brokers ;; esac
  for what in "$@"; do if [ -e "$S/$what-pending" ]; then cp "$S/catch-up-polls" "$S/$what-polls"; fi; done
}`;

/**
 * `cat <file>` without starting a process (the stand-ins run hundreds of times per script run): the same bytes for
 * text files, and the same failure for a missing one.
 */
const EMIT = `emit() {
  if [ ! -e "$1" ]; then echo "cat: $1: No such file or directory" >&2; return 1; fi
  local text=''
  IFS= read -r -d '' text <"$1" || true
  printf '%s' "$text"
}`;

const STUBS: Record<string, string> = Object.fromEntries(
  Object.entries({
    'kafka-topics.sh': KAFKA_TOOL,
    'kafka-metadata-quorum.sh': KAFKA_TOOL,
    'kafka-features.sh': KAFKA_TOOL,
    'kafka-reassign-partitions.sh': KAFKA_TOOL,
    'kafka-broker-api-versions.sh': KAFKA_TOOL,
    kubectl: KUBECTL.replace('@RESTARTED@', RESTARTED),
    terraform: TERRAFORM.replace('@RESTARTED@', RESTARTED),
  }).map(([name, text]) => [name, text.replace('@EMIT@', EMIT)]),
);
