import type { Construct } from 'constructs';
import type { ClusterModel } from '../constructs/kafka/cluster-model';
import type { EnvironmentStack } from './environment-stack';
import { NetworkStack } from './network-stack';

export { EnvironmentStack } from './environment-stack';
export { NetworkStack } from './network-stack';

/** Every Terraform stack of one environment, in deployment order. */
export function addEnvironmentStacks(scope: Construct, model: ClusterModel): EnvironmentStack[] {
  const network = new NetworkStack(scope, model.spec);
  return [network];
}
