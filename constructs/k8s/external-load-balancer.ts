import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import { type ExternalEndpoint, externalServiceAnnotations, kubernetesRuntime } from '../kafka/kubernetes/deployment-plan';
import { clusterLabels, roleSelector } from './labels';

/** Label the StatefulSet controller puts on each of its pods, with the pod's name. */
const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

/** What an {@link ExternalLoadBalancer} needs: the spec (its `runtime.externalAccess` options) and the endpoint. */
export interface ExternalLoadBalancerProps {
  /**
   * The validated environment spec, every default filled in (`ResolvedSpec`). Its `runtime.externalAccess` gives the
   * class, source ranges and annotations.
   */
  readonly spec: ResolvedSpec;
  /** The endpoint: one broker (`pod` set) or the bootstrap address of all brokers. */
  readonly endpoint: ExternalEndpoint;
}

/**
 * A LoadBalancer Service in front of one broker's external listener (or of all brokers, for bootstrapping). Kafka
 * clients talk to the leader of each partition directly, so every broker needs an address of its own that it
 * advertises; a single load balancer for all brokers would send requests to the wrong broker.
 */
export class ExternalLoadBalancer extends Construct {
  /** Name of the LoadBalancer Service: the endpoint's name (`<prefix>-<node id>` for a broker, `<prefix>-bootstrap`). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ExternalLoadBalancerProps) {
    super(scope, id);
    const { spec, endpoint } = props;
    const access = kubernetesRuntime(spec).externalAccess;
    this.name = endpoint.name;
    new k8s.KubeService(this, 'service', {
      metadata: {
        name: endpoint.name,
        labels: { ...clusterLabels(spec), 'app.kubernetes.io/component': 'broker' },
        annotations: externalServiceAnnotations(spec, endpoint),
      },
      spec: {
        type: 'LoadBalancer',
        loadBalancerClass: access.loadBalancerClass,
        ...(access.sourceRanges.length > 0 ? { loadBalancerSourceRanges: [...access.sourceRanges] } : {}),
        selector: { ...roleSelector(spec, 'broker'), ...(endpoint.pod ? { [POD_NAME_LABEL]: endpoint.pod } : {}) },
        ports: [{ name: 'external', port: endpoint.port, targetPort: k8s.IntOrString.fromString('external'), protocol: 'TCP' }],
      },
    });
  }
}
