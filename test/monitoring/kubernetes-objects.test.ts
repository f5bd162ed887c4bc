import { parseAllDocuments } from 'yaml';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { type K8sObject, named, objectsOfKind, selects } from '../k8s/manifests';
import { synthesizeEnvironment } from './synthesize';
import { schemaErrors, schemaOf } from '../k8s/kubernetes-schema';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_EXPORTER_SASL_ARGS_SCRIPT, KAFKA_EXPORTER_SECRET_ARGS_FILE, kafkaExporterSaslArgsEnvironment } from '../../constructs/kafka/monitoring/kafka-exporter-args';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

/** Prod with the bundled Prometheus, Alertmanager and Grafana. */
const bundledProd = () =>
  withChange(aThreeZoneProdSpec(), (draft) => {
    draft.monitoring = { ...draft.monitoring, prometheus: { deploy: true }, grafana: { deploy: true }, prometheusOperator: { selectorLabels: { release: 'kube-prometheus-stack' } } };
  });

function monitoringObjects(files: Map<string, string>): K8sObject[] {
  const text = files.get('kubernetes/monitoring.yaml');
  if (text === undefined) throw new Error('no kubernetes/monitoring.yaml');
  return parseAllDocuments(text).map((document) => document.toJS() as K8sObject);
}

describe('monitoring.yaml', () => {
  const prod = synthesizeEnvironment(bundledProd());
  const objects = monitoringObjects(prod.files);

  it('validates every object against its schema (Kubernetes, prometheus-operator)', () => {
    expect(objects.filter((object) => !schemaOf(object)).map((object) => object.kind)).toEqual([]);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    for (const kind of ['PodMonitor', 'PrometheusRule']) expect(objectsOfKind(objects, kind).length).toBeGreaterThan(0);
  });

  it('schema validation catches a broken PodMonitor (the check can fail)', () => {
    const broken = { ...named(objects, 'PodMonitor', 'kafka-broker'), spec: { podMetricsEndpoints: 'metrics' } };
    expect(schemaErrors(broken)).not.toEqual([]);
  });

  it('selects Kafka pods by their labels and derives every node id from labels and the ordinal', () => {
    const kafkaPods = objectsOfKind(prod.objects, 'StatefulSet').filter((set) => set.metadata.name.startsWith('kafka-'));
    for (const role of ['controller', 'broker'] as const) {
      const monitor = named(objects, 'PodMonitor', `kafka-${role}`);
      expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
      const selected = kafkaPods.filter((set) => selects(monitor.spec.selector.matchLabels, set.spec.template.metadata.labels));
      expect(selected.length).toBe(role === 'broker' ? 3 : 1);
      const endpoint = monitor.spec.podMetricsEndpoints[0];
      expect(endpoint.port).toBe('metrics');
      for (const set of selected) {
        expect(set.spec.template.spec.containers.flatMap((c: K8sObject) => c.ports ?? []).map((p: K8sObject) => p.name)).toContain('metrics');
      }
      const nodeIds = endpoint.relabelings.filter((step: K8sObject) => step.targetLabel === 'node_id');
      const nodes = prod.model.nodes.filter((node) => node.role === role);
      expect(nodeIds.map((step: K8sObject) => step.replacement).sort()).toEqual(nodes.map((node) => String(node.nodeId)).sort());
      for (const step of nodeIds) expect(step.sourceLabels).not.toContain('__meta_kubernetes_pod_name');
      expect(endpoint.relabelings.map((step: K8sObject) => step.targetLabel)).toEqual(expect.arrayContaining(['environment', 'cluster', 'role', 'zone', 'node_id']));
    }
  });

  it('maps the pod of broker 201 (zone b, ordinal 1) to node_id 201', () => {
    const broker = prod.model.brokers.find((node) => node.nodeId === 201);
    expect(broker).toMatchObject({ zone: 'eu-west-1b', ordinal: 1 });
    const steps = named(objects, 'PodMonitor', 'kafka-broker').spec.podMetricsEndpoints[0].relabelings;
    const step = steps.find((candidate: K8sObject) => candidate.replacement === '201');
    expect(new RegExp(`^(?:${step.regex})$`).test(`broker;eu-west-1b;1`)).toBe(true);
    expect(new RegExp(`^(?:${step.regex})$`).test(`broker;eu-west-1a;1`)).toBe(false);
  });

  it('ships the same rules in the PrometheusRule as in prometheus-rules.yaml', () => {
    const rule = named(objects, 'PrometheusRule', 'kafka-alerts');
    const file = parseAllDocuments(prod.files.get('monitoring/prometheus-rules.yaml') ?? '')[0].toJS();
    expect(rule.spec.groups).toEqual(file.groups);
  });

  it('ships the exporter rules the Kafka pods mount, byte for byte', () => {
    const configMap = named(objects, 'ConfigMap', 'kafka-jmx-exporter');
    expect(configMap.data['jmx-exporter.yaml']).toBe(prod.files.get('monitoring/jmx-exporter.yaml'));
    const volumes = objectsOfKind(prod.objects, 'StatefulSet').flatMap((set) => set.spec.template.spec.volumes ?? []);
    expect(volumes.filter((volume: K8sObject) => volume.configMap?.name === 'kafka-jmx-exporter').length).toBeGreaterThan(0);
  });

  it('runs kafka-exporter over TLS with SCRAM as its own user, the password in neither its arguments nor its environment', () => {
    const deployment = named(objects, 'Deployment', 'kafka-kafka-exporter');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.args).toEqual(
      expect.arrayContaining(['--tls.enabled', '--sasl.enabled', '--sasl.mechanism=scram-sha512', '--sasl.username=kafka-exporter', `@${KAFKA_EXPORTER_SECRET_ARGS_FILE}`]),
    );
    expect(container.args.filter((arg: string) => arg.startsWith('--sasl.password'))).toEqual([]);
    expect(container.env ?? []).toEqual([]);
    // Only the init container mounts the Secret; the exporter reads the memory-backed argument file.
    const [init] = pod.initContainers;
    expect(init.command).toEqual(['sh', '-c', KAFKA_EXPORTER_SASL_ARGS_SCRIPT]);
    const password = pod.volumes.find((volume: K8sObject) => volume.secret?.secretName === 'kafka-user-kafka-exporter');
    expect(init.volumeMounts.map((mount: K8sObject) => mount.name)).toContain(password.name);
    expect(container.volumeMounts.map((mount: K8sObject) => mount.name)).not.toContain(password.name);
    expect(pod.volumes.find((volume: K8sObject) => volume.name === 'secret-args').emptyDir.medium).toBe('Memory');
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    // The client label is what lets the security NetworkPolicies give it the client listener.
    expect(deployment.spec.template.metadata.labels['kafka-typed-infra.io/client-of']).toBe('kafka');
  });

  it.each([
    ['writes the password as one kingpin argument, readable by the pod user only', 's3cretPassw0rd', 0],
    ['refuses an empty password', '', 1],
    ['refuses a password spanning lines', 'a\nb', 1],
  ])('the argument-file init script %s', (_, password, status) => {
    const dir = makeTempDir('kafka-exporter-args-');
    writeFileSync(join(dir, 'password'), password);
    const env = Object.fromEntries(kafkaExporterSaslArgsEnvironment().map(({ name, value }) => [name, value.replace(/^\/(etc|run)\/kafka-exporter(\/password)?/, dir)]));
    const result = spawnSync('sh', ['-c', KAFKA_EXPORTER_SASL_ARGS_SCRIPT], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    expect(result.status).toBe(status);
    if (status === 0) {
      expect(readFileSync(env.KAFKA_EXPORTER_ARGS_FILE, 'utf8')).toBe(`--sasl.password=${password}\n`);
      expect(statSync(env.KAFKA_EXPORTER_ARGS_FILE).mode & 0o777).toBe(0o600);
    } else {
      expect(existsSync(env.KAFKA_EXPORTER_ARGS_FILE)).toBe(false);
    }
  });

  it('labels dashboards for the Grafana sidecar and mounts them in the bundled Grafana', () => {
    const dashboards = objectsOfKind(objects, 'ConfigMap').filter((configMap) => configMap.metadata.labels?.grafana_dashboard === '1');
    expect(dashboards.map((configMap) => Object.keys(configMap.data)[0]).sort()).toEqual(
      [...prod.files.keys()].filter((path) => path.startsWith('monitoring/dashboards/')).map((path) => path.split('/').pop()).sort(),
    );
    const grafana = named(objects, 'Deployment', 'kafka-grafana');
    const projected = grafana.spec.template.spec.volumes.find((volume: K8sObject) => volume.name === 'dashboards').projected.sources;
    expect(projected.map((source: K8sObject) => source.configMap.name).sort()).toEqual(dashboards.map((configMap) => configMap.metadata.name).sort());
    const password = grafana.spec.template.spec.containers[0].env.find((env: K8sObject) => env.name === 'GF_SECURITY_ADMIN_PASSWORD');
    expect(password).toEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'kafka-grafana-admin', key: 'admin-password' } } });
  });

  it('gives the bundled Prometheus the same scrape labels and the rule file', () => {
    const config = named(objects, 'ConfigMap', 'kafka-prometheus-config');
    const prometheusYml = parseAllDocuments(config.data['prometheus.yml'])[0].toJS();
    expect(prometheusYml.scrape_configs.map((job: K8sObject) => job.job_name)).toEqual(['kafka-controller', 'kafka-broker', 'kafka-kafka-exporter']);
    const rules = named(objects, 'ConfigMap', 'kafka-prometheus-rules');
    expect(rules.data['prometheus-rules.yaml']).toBe(prod.files.get('monitoring/prometheus-rules.yaml'));
  });

  it('puts no secret value in any object', () => {
    const text = prod.files.get('kubernetes/monitoring.yaml') ?? '';
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    // The init script reads the password from the mounted Secret (`"$(cat ...)"`) and prints it with printf's `%s`.
    expect(text).not.toMatch(/password\s*[:=]\s*(?!["']?\$\(|%s)[^\s{]/i);
  });
});

describe('environments without the operator or monitoring', () => {
  it('emits no PodMonitor or PrometheusRule when prometheusOperator.enabled is false', () => {
    const { files } = synthesizeEnvironment(withChange(aSingleZoneDevSpec(), (draft) => (draft.monitoring = { ...draft.monitoring, prometheusOperator: { enabled: false } })));
    const kinds = monitoringObjects(files).map((object) => object.kind);
    expect(kinds).not.toContain('PodMonitor');
    expect(kinds).not.toContain('PrometheusRule');
    expect(kinds).toContain('Deployment');
  });

  it('runs kafka-exporter without TLS or SASL against a plaintext dev listener', () => {
    const { files } = synthesizeEnvironment(aSingleZoneDevSpec());
    const args: string[] = named(monitoringObjects(files), 'Deployment', 'kafka-kafka-exporter').spec.template.spec.containers[0].args;
    expect(args.filter((arg) => arg.startsWith('--tls') || arg.startsWith('--sasl'))).toEqual([]);
  });

  it('writes the exporter rules, rule file, dashboards and a scrape config for VM environments', () => {
    const { files } = synthesizeEnvironment(aVmStagingSpec());
    expect([...files.keys()].filter((path) => path.startsWith('monitoring/') && !path.includes('dashboards/')).sort()).toEqual([
      'monitoring/jmx-exporter.yaml',
      'monitoring/prometheus-rules.yaml',
      'monitoring/prometheus-scrape.yaml',
    ]);
    const scrape = parseAllDocuments(files.get('monitoring/prometheus-scrape.yaml') ?? '')[0].toJS();
    const first = scrape.scrape_configs[0].static_configs[0];
    expect(first.labels).toEqual({ environment: 'staging', cluster: 'kafka', exporter: 'jmx', role: 'controller', zone: 'eu-central-1a', node_id: '0' });
    // node_exporter: same node labels, its own exporter label and port, so `up` of one never counts as the other.
    const node = scrape.scrape_configs[1].static_configs[0];
    expect(node.labels).toEqual({ ...first.labels, exporter: 'node' });
    expect(node.targets[0]).toBe(first.targets[0].replace(/:\d+$/, ':9100'));
  });

  it('writes nothing for monitoring when it is disabled', () => {
    const { files } = synthesizeEnvironment(withChange(aSingleZoneDevSpec(), (draft) => (draft.monitoring = { ...draft.monitoring, enabled: false })));
    expect([...files.keys()].filter((path) => path.startsWith('monitoring/'))).toEqual([]);
    expect(monitoringObjects(files)).toEqual([]);
  });
});
