import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { environmentArtifacts } from '../../synth/environment-artifacts';
import { type SynthesizedEnvironment, objectsOfFiles } from './manifests';

/** Every file of dist/<env>/ exactly as `npm run synth` writes it (all charts), in memory. */
export function synthesizeEnvironment(input: EnvironmentSpec): SynthesizedEnvironment {
  const model = buildClusterModel(validateEnvironment(input));
  const files = environmentArtifacts(model);
  return { model, files, objects: objectsOfFiles(files) };
}
