import { App as Cdk8sApp } from 'cdk8s';
import { addEnvironmentCharts } from '../charts';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { monitoringArtifacts } from '../constructs/kafka/monitoring/monitoring-artifacts';
import { operationsArtifacts } from '../constructs/kafka/operations/artifacts';
import { renderServerProperties } from '../constructs/kafka/config/server-properties';
import { renderTopologyMarkdown } from '../constructs/kafka/diagram/topology-diagram';
import { vmArtifacts } from '../constructs/kafka/vm/artifacts';
import { reconcileEnabled, reconcilePlanFiles } from '../constructs/kafka/security/reconcile-script';
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
  // The reconcile's plan in plain text (the same files the CronJob's ConfigMap and the VMs' cloud-init carry), so a
  // review sees topic and quota changes, and a later synth can check partitions against it (`--base`).
  if (reconcileEnabled(model)) for (const [file, content] of Object.entries(reconcilePlanFiles(model))) files.set(`reconcile/${file}`, content);
  for (const [file, content] of operationsArtifacts(model)) files.set(file, content);
  files.set('topology.md', renderTopologyMarkdown(model));
  const app = new Cdk8sApp({ outdir: 'unused', recordConstructMetadata: false });
  for (const [file, chart] of Object.entries(addEnvironmentCharts(app, model))) {
    files.set(`kubernetes/${file}`, chartToYaml(chart));
  }
  return files;
}
