import { App as Cdk8sApp } from 'cdk8s';
import { addEnvironmentCharts } from '../charts';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { monitoringArtifacts } from '../constructs/kafka/monitoring/monitoring-artifacts';
import { operationsArtifacts } from '../constructs/kafka/operations/artifacts';
import { renderServerProperties } from '../constructs/kafka/config/server-properties';
import { vmArtifacts } from '../constructs/kafka/vm/artifacts';
import { chartToYaml } from './kubernetes-yaml';

/**
 * Every file of `dist/<env>/`, keyed by its path relative to that folder. Pure with respect to the file
 * system: writing is the caller's job, so a failure here leaves nothing half-written.
 */
export function environmentArtifacts(model: ClusterModel): Map<string, string> {
  const files = new Map<string, string>();
  for (const node of model.nodes) {
    files.set(`kafka/${node.name}.properties`, renderServerProperties(model, node));
  }
  for (const [file, content] of monitoringArtifacts(model)) files.set(file, content);
  for (const [file, content] of vmArtifacts(model)) files.set(file, content);
  for (const [file, content] of operationsArtifacts(model)) files.set(file, content);
  const app = new Cdk8sApp({ outdir: 'unused', recordConstructMetadata: false });
  for (const [file, chart] of Object.entries(addEnvironmentCharts(app, model))) {
    files.set(`kubernetes/${file}`, chartToYaml(chart));
  }
  return files;
}
