import type { ClusterModel } from '../model/cluster-model';
import { OPERATIONS_STATE_FILE, operationsState, renderOperationsState } from './operations-state';
import { quorumFiles } from './quorum-change';
import { reassignFiles } from './reassignment';
import { vmRollFiles } from './vm-roll';

/**
 * `dist/<env>/operations/`: what an operator runs against the live cluster from an admin host, generated with the
 * rest so a pull request shows it: partition moves (scale-out, drain) and controller quorum changes everywhere, and on VMs the rolling
 * replacement (on Kubernetes the roller is a CronJob in `security.yaml` instead).
 */
export function operationsArtifacts(model: ClusterModel): Map<string, string> {
  const files = new Map<string, string>();
  const add = (entries: Record<string, string>) => {
    for (const [file, text] of Object.entries(entries)) files.set(`operations/${file}`, text);
  };
  if (model.spec.runtime.kind === 'vm') add(vmRollFiles(model));
  add(reassignFiles(model));
  add(quorumFiles(model));
  files.set(OPERATIONS_STATE_FILE, renderOperationsState(operationsState(model)));
  return files;
}
