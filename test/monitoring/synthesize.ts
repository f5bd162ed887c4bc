import { buildClusterModel, type ClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { environmentArtifacts } from '../../synth/environment-artifacts';
import { type K8sObject, objectsOfFiles } from '../k8s/manifests';

/** One environment synthesized like `npm run synth` does it, in memory. */
export function synthesizeEnvironment(input: EnvironmentSpec): { model: ClusterModel; files: Map<string, string>; objects: K8sObject[] } {
  const model = buildClusterModel(validateEnvironment(input));
  const files = environmentArtifacts(model);
  return { model, files, objects: objectsOfFiles(files) };
}
