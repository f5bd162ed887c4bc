import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import type { NodeRole } from '../kafka/model/sizing';
import { clusterLabels, roleSelector } from './labels';

/** What a {@link KafkaDisruptionBudget} needs: the spec and the role whose pods it covers. */
export interface KafkaDisruptionBudgetProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
  /** The role whose pods (of every zone) the budget covers: `controller` or `broker`. */
  readonly role: NodeRole;
}

/**
 * One PodDisruptionBudget over every pod of a role, across all zones, allowing one voluntary disruption at a time.
 * Per-zone budgets would let a node-group upgrade drain one broker in each zone at once, which for a partition with
 * one replica per zone means all of its replicas; for controllers, one at a time keeps the quorum's majority.
 */
export class KafkaDisruptionBudget extends Construct {
  /** Name of the PodDisruptionBudget, `<cluster>-<role>`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaDisruptionBudgetProps) {
    super(scope, id);
    const { spec, role } = props;
    this.name = `${spec.kafka.clusterName}-${role}`;
    new k8s.KubePodDisruptionBudget(this, 'budget', {
      metadata: { name: this.name, labels: { ...clusterLabels(spec), 'app.kubernetes.io/component': role } },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: roleSelector(spec, role) },
        // Lets a drain evict a pod that is already not ready (stuck, crash-looping) instead of blocking forever.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
