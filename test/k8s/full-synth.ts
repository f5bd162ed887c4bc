import { buildClusterModel } from '../../constructs/kafka/cluster-model';
import type { EnvironmentSpec } from '../../constructs/kafka/environment-spec';
import { validateEnvironment } from '../../constructs/kafka/validate';
import { environmentArtifacts } from '../../synth/environment-artifacts';
import { type SynthesizedEnvironment, objectsOfFiles } from './manifests';

/** Every file of dist/<env>/ exactly as `npm run synth` writes it (all charts), in memory. */
export function synthesizeEnvironment(input: EnvironmentSpec): SynthesizedEnvironment {
  const model = buildClusterModel(validateEnvironment(input));
  const files = environmentArtifacts(model);
  return { model, files, objects: objectsOfFiles(files) };
}
