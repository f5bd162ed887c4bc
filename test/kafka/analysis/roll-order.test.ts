import { rollOrder } from '../../../constructs/kafka/analysis/roll-order';

const broker = (name: string, rack: string) => ({ name, role: 'broker' as const, rack });
const controller = (name: string) => ({ name, role: 'controller' as const });

test('controllers first, one at a time, then brokers one at a time in name order (numeric ordinals)', () => {
  const order = rollOrder({
    nodes: [broker('kafka-broker-b-0', 'b'), broker('kafka-broker-a-10', 'a'), controller('kafka-controller-1'), broker('kafka-broker-a-2', 'a'), controller('kafka-controller-0')],
    replicationFactor: 3,
    minInsyncReplicas: 2,
    controllerCount: 3,
  });
  expect(order.steps.map((step) => step.node)).toEqual(['kafka-controller-0', 'kafka-controller-1', 'kafka-broker-a-2', 'kafka-broker-a-10', 'kafka-broker-b-0']);
  expect(order).toMatchObject({ keepsMinInsyncReplicas: true, keepsQuorum: true, warnings: [] });
});

test('Kubernetes RollingUpdate order: controllers from the highest ordinal down', () => {
  const order = rollOrder({ nodes: [controller('c-0'), controller('c-1'), controller('c-2')], replicationFactor: 3, minInsyncReplicas: 2, controllerCount: 3, controllerOrder: 'descending' });
  expect(order.steps.map((step) => step.node)).toEqual(['c-2', 'c-1', 'c-0']);
});

test('replication factor 2 with min.insync.replicas 2 cannot keep acks=all writes during a broker restart', () => {
  const order = rollOrder({ nodes: [broker('b-0', 'a')], replicationFactor: 2, minInsyncReplicas: 2, controllerCount: 3 });
  expect(order.keepsMinInsyncReplicas).toBe(false);
  expect(order.warnings).toEqual(['replication factor 2 with min.insync.replicas=2: while a broker restarts, acks=all writes to its partitions fail']);
});

test('a single controller and replication factor 1 (dev): both warnings, restarts still one at a time', () => {
  const order = rollOrder({ nodes: [controller('c-0'), broker('b-0', 'a')], replicationFactor: 1, minInsyncReplicas: 1, controllerCount: 1 });
  expect(order.steps.map((step) => step.step)).toEqual([1, 2]);
  expect(order.keepsQuorum).toBe(false);
  expect(order.keepsMinInsyncReplicas).toBe(false);
  expect(order.warnings).toHaveLength(2);
});

test('no broker restarting keeps min.insync.replicas trivially; nothing to roll gives no steps', () => {
  expect(rollOrder({ nodes: [], replicationFactor: 1, minInsyncReplicas: 1, controllerCount: 1 })).toEqual({ steps: [], keepsMinInsyncReplicas: true, keepsQuorum: true, warnings: [] });
});
