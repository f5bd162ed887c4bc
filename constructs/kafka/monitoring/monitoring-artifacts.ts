import { stringify } from 'yaml';
import type { ClusterModel } from '../model/cluster-model';
import { kafkaDashboards, renderDashboard } from './dashboards';
import { renderJmxExporterConfig } from './jmx-exporter-config';
import { renderPrometheusRules } from './prometheus-rules';
import { vmScrapeConfigs } from './scrape-config';

/**
 * The files of `dist/<env>/monitoring/`, keyed by their path relative to `dist/<env>/`: the JMX exporter rules
 * (loaded by Kubernetes pods through a ConfigMap and by VM nodes from disk), the plain rule file, the dashboards,
 * and on VMs the scrape config for an existing Prometheus. Nothing when monitoring is off.
 */
export function monitoringArtifacts(model: ClusterModel): Map<string, string> {
  const files = new Map<string, string>();
  if (!model.spec.monitoring.enabled) return files;
  files.set('monitoring/jmx-exporter.yaml', renderJmxExporterConfig(model.spec));
  files.set('monitoring/prometheus-rules.yaml', renderPrometheusRules(model));
  for (const [file, board] of Object.entries(kafkaDashboards(model))) files.set(`monitoring/dashboards/${file}`, renderDashboard(board));
  if (model.spec.runtime.kind === 'vm') {
    files.set(
      'monitoring/prometheus-scrape.yaml',
      '# scrape_configs for the Prometheus that monitors this VM cluster; labels match the Kubernetes PodMonitors.\n' +
        stringify({ scrape_configs: vmScrapeConfigs(model) }, { lineWidth: 0 }),
    );
  }
  return files;
}
