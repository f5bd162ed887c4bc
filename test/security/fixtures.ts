import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { consumer, producer, transactionalProducer } from '../../constructs/kafka/spec/security';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { dev } from '../../environments/dev';
import { prod } from '../../environments/prod';
import { staging } from '../../environments/staging';

type Security = NonNullable<EnvironmentSpec['security']>;

/** Production with two applications, a client namespace and a monitoring stack. */
export function aProdSpecWithUsers(security: Partial<Security> = {}): EnvironmentSpec {
  return {
    ...prod,
    security: {
      users: { orders: { password: 'generated' }, billing: { password: { awsSecret: 'team-billing/kafka' } } },
      acls: {
        orders: [producer('orders'), consumer('payments', 'orders-app')],
        billing: [transactionalProducer('billing.', 'billing-', { prefixed: true }), consumer('orders', 'billing')],
      },
      network: { clients: [{ namespace: 'orders' }, { namespaceLabels: { team: 'billing' }, podLabels: { app: 'billing' } }] },
      externalSecrets: { serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/prod-kafka-external-secrets' },
      ...security,
    },
  };
}

export function withSecurity(base: EnvironmentSpec, security: Security): EnvironmentSpec {
  return { ...base, security };
}

export const ENVIRONMENTS = { dev, staging, prod } as const;

/** Resolves a spec that must be valid; fails the test with every problem otherwise. */
export function resolved(input: EnvironmentSpec) {
  const result = checkEnvironment(input);
  if (!result.spec) throw new Error(`fixture is invalid:\n${result.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n')}`);
  return result.spec;
}

export function problemsOf(input: EnvironmentSpec) {
  return checkEnvironment(input).problems;
}
