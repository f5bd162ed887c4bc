import { kafkaUsers, scramUsers } from '../../constructs/kafka/security/users';
import { ENVIRONMENTS, aProdSpecWithUsers, resolved } from './fixtures';

describe('kafkaUsers', () => {
  test('prod: admin and kafka-exporter are built in; declared users follow; all SCRAM with their secrets', () => {
    const users = kafkaUsers(resolved(aProdSpecWithUsers({ users: { orders: { password: 'generated' }, billing: { password: { awsSecret: 'team/kafka', jsonKey: 'pw' } } } })));
    expect(users.map((user) => [user.name, user.builtIn, user.authentication, user.awsSecret, user.generatedByUs, user.kubernetesSecret])).toEqual([
      ['admin', true, 'scram-sha-512', 'kafka/prod/kafka/users/admin', true, 'kafka-user-admin'],
      ['billing', false, 'scram-sha-512', 'team/kafka', false, 'kafka-user-billing'],
      ['kafka-exporter', true, 'scram-sha-512', 'kafka/prod/kafka/users/kafka-exporter', true, 'kafka-user-kafka-exporter'],
      ['orders', false, 'scram-sha-512', 'kafka/prod/kafka/users/orders', true, 'kafka-user-orders'],
    ]);
    expect(users.find((user) => user.name === 'billing')?.awsSecretJsonKey).toBe('pw');
  });

  test('no kafka-exporter user when the exporter is off', () => {
    const spec = resolved({ ...ENVIRONMENTS.prod, monitoring: { ...ENVIRONMENTS.prod.monitoring, kafkaExporter: { enabled: false } } });
    expect(kafkaUsers(spec).map((user) => user.name)).toEqual(['admin', 'orders']);
  });

  test('dev without authentication has no SCRAM users, hence no secrets to create', () => {
    const spec = resolved(ENVIRONMENTS.dev);
    expect(scramUsers(spec)).toEqual([]);
    expect(kafkaUsers(spec).every((user) => user.authentication === 'none')).toBe(true);
  });
});
