import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ClusterModel } from '../../kafka/model/cluster-model';
import {
  KAFKA_EXPORTER_CA_DIR,
  KAFKA_EXPORTER_PASSWORD_DIR,
  KAFKA_EXPORTER_SASL_ARGS_SCRIPT,
  KAFKA_EXPORTER_SECRET_ARGS_DIR,
  kafkaExporterArgs,
  kafkaExporterSaslArgsEnvironment,
} from '../../kafka/monitoring/kafka-exporter-args';
import { KAFKA_EXPORTER_PORT, kafkaExporterLabels, kafkaExporterRelabelSteps } from '../../kafka/monitoring/scrape-config';
import { tlsSecretName, userCredentialsSecretName } from '../../kafka/model/names';
import { clientPodLabels, peerSelector } from '../../kafka/security/network-policy';
import { KAFKA_EXPORTER_USER } from '../../kafka/security/users';
import { clusterLabels } from '../labels';
import { podMonitorRelabelings } from './kafka-pod-monitor';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../restricted-security-context';

/** What a {@link KafkaExporter} needs: the cluster to watch, and whether to emit its PodMonitor. */
export interface KafkaExporterProps {
  /**
   * The cluster model (`buildClusterModel(spec)`): the resolved spec, its nodes with ids and racks, and its listeners.
   */
  readonly model: ClusterModel;
  /** Also emit a PodMonitor for it (Prometheus Operator). @default true */
  readonly podMonitor?: boolean;
}

const UID = 65534;

/**
 * Consumer-lag exporter (danielqsj/kafka-exporter): one replica, authenticating over TLS with SCRAM-SHA-512 as its
 * own user `kafka-exporter`, whose ACLs allow Describe only (created by the security constructs). Its password
 * comes from Secret `<cluster>-user-kafka-exporter` (key `password`) through an argument file an init container writes;
 * no value is in the output, the exporter's arguments or its environment.
 * It carries the cluster's client label so the security NetworkPolicies let it reach the client listener, and its
 * own policy lets Prometheus (`security.network.prometheus`) in on the metrics port.
 */
export class KafkaExporter extends Construct {
  /** Name of the Deployment, Service and NetworkPolicy: `<cluster>-kafka-exporter`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaExporterProps) {
    super(scope, id);
    const { model } = props;
    const spec = model.spec;
    this.name = `${spec.kafka.clusterName}-kafka-exporter`;
    const selector = kafkaExporterLabels(model);
    const labels = { ...clusterLabels(spec), ...selector };
    const client = model.listeners.find((listener) => listener.key === 'client');
    const scram = client?.authentication === 'scram-sha-512';
    const tls = client?.tls ?? false;

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: this.name, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...clientPodLabels(spec) } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(UID),
            // The password reaches the exporter as an argument file in memory, written by this short-lived container,
            // the only one that mounts the Secret.
            ...(scram
              ? {
                  initContainers: [
                    {
                      name: 'sasl-args',
                      image: spec.monitoring.kafkaExporter.image,
                      command: ['sh', '-c', KAFKA_EXPORTER_SASL_ARGS_SCRIPT],
                      env: kafkaExporterSaslArgsEnvironment(),
                      resources: {
                        requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
                        limits: { memory: k8s.Quantity.fromString('32Mi') },
                      },
                      securityContext: restrictedContainerSecurityContext(UID),
                      volumeMounts: [
                        { name: 'password', mountPath: KAFKA_EXPORTER_PASSWORD_DIR, readOnly: true },
                        { name: 'secret-args', mountPath: KAFKA_EXPORTER_SECRET_ARGS_DIR },
                      ],
                    },
                  ],
                }
              : {}),
            containers: [
              {
                name: 'kafka-exporter',
                image: spec.monitoring.kafkaExporter.image,
                args: kafkaExporterArgs(model, KAFKA_EXPORTER_USER),
                ports: [{ name: 'metrics', containerPort: KAFKA_EXPORTER_PORT }],
                readinessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 15 },
                livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, failureThreshold: 5 },
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                  limits: { memory: k8s.Quantity.fromString('256Mi') },
                },
                securityContext: restrictedContainerSecurityContext(UID),
                volumeMounts: [
                  ...(tls ? [{ name: 'ca', mountPath: KAFKA_EXPORTER_CA_DIR, readOnly: true }] : []),
                  ...(scram ? [{ name: 'secret-args', mountPath: KAFKA_EXPORTER_SECRET_ARGS_DIR, readOnly: true }] : []),
                ],
              },
            ],
            // The CA the brokers themselves trust: `ca.crt` of the broker certificate's Secret (only that key, never the
            // broker's private key), as for the reconcile job. The trust-manager ConfigMap does not exist with a
            // bring-your-own issuer that publishes no CA bundle, and the pod would never start.
            volumes: [
              ...(tls ? [{ name: 'ca', secret: { secretName: tlsSecretName(spec, 'broker'), items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] : []),
              ...(scram
                ? [
                    { name: 'password', secret: { secretName: userCredentialsSecretName(spec, KAFKA_EXPORTER_USER), items: [{ key: 'password', path: 'password' }] } },
                    { name: 'secret-args', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
                  ]
                : []),
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name: this.name, labels },
      spec: { selector, ports: [{ name: 'metrics', port: KAFKA_EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] },
    });

    const prometheus = peerSelector(spec.security.network.prometheus);
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: this.name, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [
          {
            ports: [{ port: k8s.IntOrString.fromNumber(KAFKA_EXPORTER_PORT), protocol: 'TCP' }],
            from: [
              {
                ...(prometheus.namespaceLabels ? { namespaceSelector: { matchLabels: prometheus.namespaceLabels } } : {}),
                ...(prometheus.podLabels ? { podSelector: { matchLabels: prometheus.podLabels } } : {}),
              },
            ],
          },
        ],
      },
    });

    if (props.podMonitor ?? true) {
      new ApiObject(this, 'pod-monitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: this.name, labels: { ...labels, ...spec.monitoring.prometheusOperator.selectorLabels } },
        spec: {
          selector: { matchLabels: selector },
          podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '60s', relabelings: podMonitorRelabelings(kafkaExporterRelabelSteps(model)) }],
        },
      });
    }
  }
}
