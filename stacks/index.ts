import type { Construct } from 'constructs';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { scramUsers } from '../constructs/kafka/security/users';
import type { EnvironmentStack } from './environment-stack';
import { KafkaStack } from './kafka-stack';
import { NetworkStack } from './network-stack';
import { NodesStack } from './nodes-stack';
import { SecretsStack } from './secrets-stack';

export { EnvironmentStack } from './environment-stack';
export { KafkaStack } from './kafka-stack';
export { NetworkStack } from './network-stack';
export { NodesStack } from './nodes-stack';
export { SecretsStack } from './secrets-stack';

/** Every Terraform stack of one environment, in deployment order. */
export function addEnvironmentStacks(scope: Construct, model: ClusterModel): EnvironmentStack[] {
  const network = new NetworkStack(scope, model.spec);
  // Before the runtime: VMs and External Secrets read the user passwords it creates.
  const secrets: SecretsStack[] = scramUsers(model.spec).length > 0 ? [new SecretsStack(scope, model.spec)] : [];
  const runtimeStacks: EnvironmentStack[] = [];
  if (model.spec.runtime.kind === 'vm') runtimeStacks.push(new KafkaStack(scope, model, network, secrets[0]));
  if (model.spec.runtime.kind === 'kubernetes' && model.spec.aws.eks) runtimeStacks.push(new NodesStack(scope, model, network, secrets[0]));
  // Nodes read the admin password at boot: `cdktf deploy` must create the secrets first.
  for (const stack of runtimeStacks) for (const dependency of secrets) stack.addDependency(dependency);
  return [network, ...secrets, ...runtimeStacks];
}
