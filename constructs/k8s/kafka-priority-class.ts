import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { clusterScoped } from './cluster-scoped';
import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import { priorityClassName } from '../kafka/kubernetes/deployment-plan';
import { clusterLabels } from './labels';

/**
 * What a {@link KafkaPriorityClass} needs: a `kubernetes` spec, whose `runtime.priorityClass` names it and sets its
 * value.
 */
export interface KafkaPriorityClassProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). Its runtime must be `kubernetes`. */
  readonly spec: ResolvedSpec;
}

/** The PriorityClass of the Kafka pods: a broker is not preempted to make room for ordinary workloads. */
export class KafkaPriorityClass extends Construct {
  /**
   * Name of the PriorityClass the Kafka pods use: `runtime.priorityClass.name`, or one derived from namespace and
   * cluster.
   */
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
