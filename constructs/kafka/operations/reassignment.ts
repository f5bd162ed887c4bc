import { renderEnvFile } from '../config/env-file';
import type { ClusterModel } from '../model/cluster-model';
import { adminConnectionFile, CONNECTION_FILE } from './admin-connection';
import { KAFKA_ADMIN_LIBRARY } from './kubernetes-roller';
import type { PlanOptions, ReassignmentPlan, TargetBroker } from './reassignment-planner';
import reassignScript from './scripts/reassign.sh';

/**
 * Moving partitions after a scale-out or off draining brokers, with Kafka's own `kafka-reassign-partitions.sh`
 * (`scripts/reassign.sh`). Why not Cruise Control: its releases lagged Kafka 4.x (KRaft-only clusters need its 3.x
 * line, whose support of Kafka 4.x brokers we could not establish), it is one more service to run, secure and
 * monitor, and what we need is narrow: a plan a person reviews before it runs, one replica per zone kept, a throttle,
 * and a resumable apply. The planner (`reassignment-planner.ts`) makes the plan; this script applies it.
 */

export const REASSIGN_SCRIPT: string = reassignScript;

export const REASSIGN_FILES = {
  script: 'reassign.sh',
  library: 'kafka-admin.sh',
  settings: 'reassign.env',
  drain: 'drain.plan',
  connection: CONNECTION_FILE,
} as const;

/** The brokers replicas may go to: every broker of the topology that is not draining. */
export function reassignmentTargets(model: ClusterModel): TargetBroker[] {
  const draining = new Set(model.spec.operations.brokers.draining);
  return model.nodes.filter((node) => node.role === 'broker' && !draining.has(node.nodeId)).map((node) => ({ id: node.nodeId, rack: node.zone }));
}

/** The zones of the draining brokers, so their replicas stay in their zone where it keeps brokers. */
export function reassignmentPlanOptions(model: ClusterModel): PlanOptions {
  const draining = new Set(model.spec.operations.brokers.draining);
  return { leavingBrokerRacks: Object.fromEntries(model.nodes.filter((node) => node.role === 'broker' && draining.has(node.nodeId)).map((node) => [node.nodeId, node.zone])) };
}

/** `drain.plan`: every broker as `id|zone|keep` or `id|zone|draining`. */
export function drainPlanFile(model: ClusterModel): string {
  const draining = new Set(model.spec.operations.brokers.draining);
  return model.nodes
    .filter((node) => node.role === 'broker')
    .map((node) => `${node.nodeId}|${node.zone}|${draining.has(node.nodeId) ? 'draining' : 'keep'}\n`)
    .join('');
}

export function reassignFiles(model: ClusterModel): Record<string, string> {
  const { reassignment, rolling } = model.spec.operations;
  return {
    [REASSIGN_FILES.script]: REASSIGN_SCRIPT,
    [REASSIGN_FILES.library]: KAFKA_ADMIN_LIBRARY,
    [REASSIGN_FILES.settings]: renderEnvFile(`How partition moves of cluster ${model.spec.kafka.clusterName} are throttled and waited for. Generated; no secrets.`, [
      ['THROTTLE_BYTES_PER_SECOND', reassignment.throttleBytesPerSecond],
      ['REASSIGN_TIMEOUT_SECONDS', reassignment.timeoutHours * 3600],
      ['POLL_SECONDS', rolling.pollSeconds],
    ]),
    [REASSIGN_FILES.drain]: drainPlanFile(model),
    [REASSIGN_FILES.connection]: adminConnectionFile(model),
  };
}

/** What a reviewer reads before the plan runs: replicas per broker before and after, and every move. */
export function describeReassignmentPlan(plan: ReassignmentPlan): string {
  const lines = [`${plan.moves.length} replica move(s) in ${plan.changed.length} partition(s)`];
  const reasons = ['leaving', 'rack', 'balance'] as const;
  lines.push(`  ${reasons.map((reason) => `${reason}: ${plan.moves.filter((move) => move.reason === reason).length}`).join(', ')}`);
  lines.push('replicas per broker (before -> after):');
  for (const [id, count] of Object.entries(plan.before)) lines.push(`  ${id}: ${count} -> ${plan.after[Number(id)]}${id in plan.quotas ? '' : ' (leaving)'}`);
  lines.push('moves:');
  for (const move of plan.moves) lines.push(`  ${move.topic}-${move.partition}: ${move.from} -> ${move.to} (${move.reason})`);
  return `${lines.join('\n')}\n`;
}
