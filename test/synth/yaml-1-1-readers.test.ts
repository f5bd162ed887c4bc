/**
 * The YAML we write is read with YAML 1.1 rules: kubectl and the API server (go-yaml) read the manifests, cloud-init
 * (PyYAML) reads the VMs' user data. Under 1.1 a plain `yes`, `on`, `n`, `0755` or `12:30` is a boolean or a number,
 * where a YAML 1.2 reader (and writer) sees a string, so a string value written plain could reach Kubernetes or
 * cloud-init as something else. Every file must mean the same under both rules.
 */
import { App, ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { environments } from '../../environments';
import { environmentArtifacts } from '../../synth/environment-artifacts';
import { chartToYaml } from '../../synth/kubernetes-yaml';

const read = (text: string, version: '1.1' | '1.2') => parseAllDocuments(text, { version }).map((document) => document.toJS());

// Every YAML file of dist/, not only the two kinds written for 1.1 readers: the JMX exporter (SnakeYAML) reads 1.1
// too, and the rest must not depend on their reader's YAML version either.
it.each(environments.map((spec) => [spec.name, spec] as const))('%s: every YAML file reads the same under YAML 1.1 and 1.2', (_name, spec) => {
  const files = [...environmentArtifacts(buildClusterModel(validateEnvironment(spec)))].filter(([path]) => path.endsWith('.yaml'));
  expect(files.map(([path]) => path)).toEqual(expect.arrayContaining([expect.stringMatching(/^(kubernetes\/|vm\/.*\.cloud-init\.yaml$)/)]));
  for (const [path, text] of files) expect({ path, data: read(text, '1.1') }).toEqual({ path, data: read(text, '1.2') });
});

it('quotes a string that YAML 1.1 reads as a boolean or a number', () => {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  const data = { yes: 'yes', on: 'On', n: 'n', octal: '0755', sexagesimal: '12:30', grouped: '1_000', date: '2001-12-14', plain: 'text' };
  new ApiObject(chart, 'm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', labels: { enabled: 'yes' } }, data });
  const text = chartToYaml(chart);
  const [object] = read(text, '1.1') as { data: unknown; metadata: { labels: unknown } }[];
  expect(object.data).toEqual(data);
  expect(object.metadata.labels).toEqual({ enabled: 'yes' });
  expect(text).toContain('plain: text\n');
});
