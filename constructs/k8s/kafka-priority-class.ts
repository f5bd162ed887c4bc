import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import { priorityClassName } from '../kafka/kubernetes/deployment-plan';
import { clusterLabels } from './labels';

export interface KafkaPriorityClassProps {
  readonly spec: ResolvedSpec;
}

/** The PriorityClass of the Kafka pods: a broker is not preempted to make room for ordinary workloads. */
export class KafkaPriorityClass extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaPriorityClassProps) {
    super(scope, id);
    const { spec } = props;
    if (spec.runtime.kind !== 'kubernetes') throw new Error(`KafkaPriorityClass: ${spec.name} is not a kubernetes environment`);
    this.name = priorityClassName(spec);
    clusterScoped(new k8s.KubePriorityClass(this, 'priority-class', {
      metadata: { name: this.name, labels: clusterLabels(spec) },
      value: spec.runtime.priorityClass.value,
      globalDefault: false,
      description: `Kafka cluster ${spec.kafka.clusterName} of environment ${spec.name}`,
    }));
  }
}
