import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import { ALERTMANAGER_PORT, PROMETHEUS_PORT, PROMETHEUS_RULES_DIR, bundledNames, bundledPrometheusConfig } from '../../kafka/monitoring/bundled-stack';
import { renderPrometheusRules } from '../../kafka/monitoring/prometheus-rules';
import { KAFKA_EXPORTER_PORT, kafkaExporterLabels } from '../../kafka/monitoring/scrape-config';
import { monitoringWorkloadLabels } from '../labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../restricted-security-context';

/** What a {@link BundledPrometheus} needs: a `kubernetes` cluster to scrape. */
export interface BundledPrometheusProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   * Its runtime must be `kubernetes`.
   */
  readonly model: ClusterModel;
}

const UID = 65534;
const tcp = (port: number) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' });

/**
 * A self-contained Prometheus for clusters without the Prometheus Operator: the same targets and labels as the
 * PodMonitors (kubernetes_sd + the shared relabel steps) and the same rule file, alerting to the bundled
 * Alertmanager. It may read pods of its own namespace only, plus nodes (cluster-wide, read-only) for the zone of
 * controller pods. Its NetworkPolicy lets it reach exactly the Kafka metrics ports, kafka-exporter, Alertmanager,
 * the API server and DNS, and only Grafana reach it.
 */
export class BundledPrometheus extends Construct {
  /** Name of the Deployment, Service, ServiceAccount and RBAC objects: `<cluster>-prometheus`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: BundledPrometheusProps) {
    super(scope, id);
    const { model } = props;
    const spec = model.spec;
    if (spec.runtime.kind !== 'kubernetes') throw new Error(`BundledPrometheus: ${spec.name} is not a kubernetes environment`);
    const namespace = spec.runtime.namespace;
    const names = bundledNames(model);
    this.name = names.prometheus;
    const { selector, labels } = monitoringWorkloadLabels(spec, 'prometheus', this.name);
    const metadata = { name: this.name, labels };

    new k8s.KubeServiceAccount(this, 'service-account', { metadata, automountServiceAccountToken: true });
    new k8s.KubeRole(this, 'role', { metadata, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace }],
    });
    // Cluster-scoped: the name carries the namespace so two environments on one cluster do not collide.
    const clusterRoleName = `${namespace}-${this.name}-nodes`;
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: clusterRoleName, labels },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: clusterRoleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace }],
    });

    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${this.name}-config`, labels },
      data: { 'prometheus.yml': stringify(bundledPrometheusConfig(model), { lineWidth: 0 }) },
    });
    new k8s.KubeConfigMap(this, 'rules', {
      metadata: { name: `${this.name}-rules`, labels },
      data: { 'prometheus-rules.yaml': renderPrometheusRules(model) },
    });

    new k8s.KubeStatefulSet(this, 'stateful-set', {
      metadata,
      spec: {
        serviceName: this.name,
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.name,
            securityContext: restrictedPodSecurityContext(UID),
            containers: [
              {
                name: 'prometheus',
                image: spec.monitoring.prometheus.image,
                args: [
                  '--config.file=/etc/prometheus/prometheus.yml',
                  '--storage.tsdb.path=/prometheus',
                  `--storage.tsdb.retention.time=${spec.monitoring.prometheus.retention}`,
                  `--web.listen-address=:${PROMETHEUS_PORT}`,
                ],
                ports: [{ name: 'web', containerPort: PROMETHEUS_PORT }],
                readinessProbe: { httpGet: { path: '/-/ready', port: k8s.IntOrString.fromString('web') }, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: '/-/healthy', port: k8s.IntOrString.fromString('web') }, periodSeconds: 30, failureThreshold: 5 },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('1Gi') },
                  limits: { memory: k8s.Quantity.fromString('2Gi') },
                },
                securityContext: restrictedContainerSecurityContext(UID),
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/prometheus', readOnly: true },
                  { name: 'rules', mountPath: PROMETHEUS_RULES_DIR, readOnly: true },
                  { name: 'data', mountPath: '/prometheus' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: `${this.name}-config` } },
              { name: 'rules', configMap: { name: `${this.name}-rules` } },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: k8s.Quantity.fromString(`${spec.monitoring.prometheus.storageGiB}Gi`) } },
            },
          },
        ],
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata,
      spec: { selector, ports: [{ name: 'web', port: PROMETHEUS_PORT, targetPort: k8s.IntOrString.fromString('web') }] },
    });

    const kafkaPods = {
      matchLabels: { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': spec.kafka.clusterName },
      matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['broker', 'controller'] }],
    };
    const grafana = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': names.grafana };
    const alertmanager = { 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/instance': names.alertmanager };
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [tcp(PROMETHEUS_PORT)], from: [{ podSelector: { matchLabels: grafana } }] }],
        egress: [
          { ports: [tcp(spec.monitoring.jmxExporterPort)], to: [{ podSelector: kafkaPods }] },
          { ports: [tcp(KAFKA_EXPORTER_PORT)], to: [{ podSelector: { matchLabels: kafkaExporterLabels(model) } }] },
          { ports: [tcp(ALERTMANAGER_PORT)], to: [{ podSelector: { matchLabels: alertmanager } }] },
          // Service discovery talks to the API server (443 on managed control planes, 6443 elsewhere).
          { ports: [tcp(443), tcp(6443)], to: spec.security.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })) },
          { ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, tcp(53)] },
        ],
      },
    });
    // Lets this Prometheus in on the Kafka pods' metrics port (policies add up; the security policies admit
    // only `security.network.prometheus`, which is the external Prometheus).
    new k8s.KubeNetworkPolicy(this, 'kafka-metrics-policy', {
      metadata: { name: `${this.name}-scrape`, labels },
      spec: {
        podSelector: kafkaPods,
        policyTypes: ['Ingress'],
        ingress: [{ ports: [tcp(spec.monitoring.jmxExporterPort)], from: [{ podSelector: { matchLabels: selector } }] }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'exporter-scrape-policy', {
      metadata: { name: `${this.name}-scrape-exporter`, labels },
      spec: {
        podSelector: { matchLabels: kafkaExporterLabels(model) },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [tcp(KAFKA_EXPORTER_PORT)], from: [{ podSelector: { matchLabels: selector } }] }],
      },
    });
  }
}
