import { renderEnvFile } from '../config/env-file';
import type { ClusterModel } from '../model/cluster-model';
import { adminConnectionFile, CONNECTION_FILE } from './admin-connection';
import { featureLevelsFile, featuresPlanFile } from './feature-levels';
import { KAFKA_ADMIN_LIBRARY, protectsMinInsyncReplicas } from './kubernetes-roller';
import vmRollScript from './scripts/roll-vms.sh';

/**
 * The rolling replacement of a VM cluster (`scripts/roll-vms.sh`): the procedure docs/aws.md used to describe by hand,
 * with the Kubernetes roller's checks. Instances ignore AMI and user-data changes, so nothing replaces them but this
 * script: one `terraform apply -replace=<address>` per node, controllers first, each only when the cluster can lose
 * that node, each followed by a bounded wait until it is back in sync.
 */

export const VM_ROLL_SCRIPT: string = vmRollScript;

/** Files of `dist/<env>/operations/` the VM roll reads, beside the script. */
export const VM_ROLL_FILES = {
  script: 'roll-vms.sh',
  library: 'kafka-admin.sh',
  settings: 'roll-vms.env',
  nodes: 'roll-vms.nodes',
  features: 'features.plan',
  featureLevels: 'feature-levels',
  connection: CONNECTION_FILE,
} as const;

export function vmRollFiles(model: ClusterModel): Record<string, string> {
  const { spec } = model;
  if (spec.runtime.kind !== 'vm') throw new Error(`the VM roll is for VM environments; ${spec.name} runs on ${spec.runtime.kind}`);
  const { rolling } = spec.operations;
  const ordered = [...model.nodes.filter((node) => node.role === 'controller'), ...model.nodes.filter((node) => node.role === 'broker')];
  return {
    [VM_ROLL_FILES.script]: VM_ROLL_SCRIPT,
    [VM_ROLL_FILES.library]: KAFKA_ADMIN_LIBRARY,
    [VM_ROLL_FILES.settings]: renderEnvFile(`How the VM roll of cluster ${spec.kafka.clusterName} checks and waits. Generated; no secrets.`, [
      ['CONTROLLER_COUNT', model.controllers.length],
      ['CATCH_UP_TIMEOUT_SECONDS', rolling.catchUpTimeoutSeconds],
      ['POLL_SECONDS', rolling.pollSeconds],
      ['QUORUM_CAUGHT_UP_MS', rolling.quorumCaughtUpMs],
      ['PROTECT_MIN_ISR', protectsMinInsyncReplicas(spec)],
    ]),
    [VM_ROLL_FILES.nodes]: ordered.map((node) => `${node.role}|${node.name}|${node.nodeId}\n`).join(''),
    [VM_ROLL_FILES.features]: featuresPlanFile(spec),
    [VM_ROLL_FILES.featureLevels]: featureLevelsFile(),
    [VM_ROLL_FILES.connection]: adminConnectionFile(model),
  };
}
