import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedSpec } from '../kafka/spec/environment-spec';
import type { NodeRole } from '../kafka/model/sizing';
import { podLabels } from './labels';

/** What a {@link KafkaServiceAccount} needs: the spec and the role whose pods run as it. */
export interface KafkaServiceAccountProps {
  /** The validated environment spec, every default filled in (`ResolvedSpec`). */
  readonly spec: ResolvedSpec;
  /** The role whose pods run as this ServiceAccount: `controller` or `broker`. */
  readonly role: NodeRole;
}

/**
 * A role's own ServiceAccount, with no RBAC bound to it and its token not mounted: Kafka never talks to the
 * Kubernetes API (the rack is known at synth time), so a compromised pod gets no API credential.
 */
export class KafkaServiceAccount extends Construct {
  /** Name of the ServiceAccount, `<cluster>-<role>`. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaServiceAccountProps) {
    super(scope, id);
    const { spec, role } = props;
    this.name = `${spec.kafka.clusterName}-${role}`;
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: this.name, labels: podLabels(spec, role) },
      automountServiceAccountToken: false,
    });
  }
}
