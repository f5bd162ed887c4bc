import type { Construct } from 'constructs';
import type { ClusterModel } from '../constructs/kafka/cluster-model';
import type { EnvironmentStack } from './environment-stack';
import { KafkaStack } from './kafka-stack';
import { NetworkStack } from './network-stack';
import { NodesStack } from './nodes-stack';

export { EnvironmentStack } from './environment-stack';
export { KafkaStack } from './kafka-stack';
export { NetworkStack } from './network-stack';
export { NodesStack } from './nodes-stack';

/** Every Terraform stack of one environment, in deployment order. */
export function addEnvironmentStacks(scope: Construct, model: ClusterModel): EnvironmentStack[] {
  const network = new NetworkStack(scope, model.spec);
  const runtimeStacks: EnvironmentStack[] = [];
  if (model.spec.runtime.kind === 'vm') runtimeStacks.push(new KafkaStack(scope, model, network));
  if (model.spec.runtime.kind === 'kubernetes' && model.spec.aws.eks) runtimeStacks.push(new NodesStack(scope, model, network));
  return [network, ...runtimeStacks];
}
