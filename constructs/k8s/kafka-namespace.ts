import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';

/** What a {@link KafkaNamespace} needs: its name and any extra labels. */
export interface KafkaNamespaceProps {
  /** Name of the namespace. */
  readonly name: string;
  /** Labels added to the namespace. @default {} */
  readonly labels?: Record<string, string>;
}

/** The namespace of a cluster, labelled so the API server enforces the *restricted* Pod Security Standard. */
export class KafkaNamespace extends Construct {
  /** Name of the namespace, as given in the props. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    clusterScoped(new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    }));
  }
}
