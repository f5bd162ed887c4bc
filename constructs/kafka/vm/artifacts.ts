import type { ClusterModel } from '../model/cluster-model';
import { renderJmxExporterConfig } from '../monitoring/jmx-exporter-config';
import { type VmBootstrapOptions, renderVmUserData } from './bootstrap';

/** What a VM node's cloud-init needs beyond the model: the exporter rules `dist/<env>/monitoring/` holds. */
export function vmBootstrapOptions(model: ClusterModel): VmBootstrapOptions {
  return model.spec.monitoring.enabled ? { jmxExporterConfig: renderJmxExporterConfig(model.spec) } : {};
}

/**
 * `dist/<env>/vm/<node>.cloud-init.yaml`: each VM node's user data in plain text, so reviewers read a diff of the
 * scripts and files a node will get (Terraform carries the same text, escaped and gzip-compressed). Empty for
 * Kubernetes environments.
 */
export function vmArtifacts(model: ClusterModel): Map<string, string> {
  const files = new Map<string, string>();
  if (model.spec.runtime.kind !== 'vm') return files;
  const options = vmBootstrapOptions(model);
  for (const node of model.nodes) files.set(`vm/${node.name}.cloud-init.yaml`, renderVmUserData(model, node, options));
  return files;
}
