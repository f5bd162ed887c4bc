import { formatProblem } from '../../constructs/kafka/validation/problems';
import { validateEnvironments } from '../../constructs/kafka/validation/validate';
import { ENVIRONMENTS, aProdSpecWithUsers, problemsOf } from './fixtures';

/** Bad security input fails synth with a message naming the environment, the field and what is allowed. */
const messages = (input: Parameters<typeof problemsOf>[0]) => problemsOf(input).map(formatProblem);

describe('bad security input', () => {
  test('the fixture itself is valid', () => {
    expect(problemsOf(aProdSpecWithUsers())).toEqual([]);
  });

  test('a plaintext listener in production', () => {
    const input = { ...ENVIRONMENTS.prod, kafka: { ...ENVIRONMENTS.prod.kafka, listeners: { client: { tls: false } } } };
    expect(messages(input)).toEqual(expect.arrayContaining([expect.stringMatching(/^prod: kafka\.listeners\.client\.tls = false, .*plaintext is allowed only in dev/)]));
  });

  test('an ACL on an unknown principal', () => {
    const input = aProdSpecWithUsers({ acls: { 'payments-typo': [{ bundle: 'producer', topic: 'payments' }] } });
    expect(messages(input)).toEqual([
      'prod: security.acls.payments-typo = "payments-typo", is not a known principal: declare it in security.users (known: billing, kafka-exporter, orders)',
    ]);
  });

  test('a user without a secret reference', () => {
    const input = aProdSpecWithUsers({ users: { orders: {}, billing: { password: 'generated' } } });
    expect(messages(input)).toEqual([
      "prod: security.users.orders.password is missing, SCRAM users need a secret reference: 'generated' (AWS Secrets Manager generates it) or { awsSecret: '<name or ARN>' }",
    ]);
  });

  test('a certificate duration shorter than its renew-before window', () => {
    const input = aProdSpecWithUsers({ certificates: { durationHours: 24, renewBeforeHours: 48 } });
    expect(messages(input)).toEqual([
      'prod: security.certificates.renewBeforeHours = 48, must be shorter than security.certificates.durationHours (24): the certificate would be renewed forever',
    ]);
  });

  test('a CA that would expire before the certificates it signs', () => {
    const input = aProdSpecWithUsers({ certificates: { authority: { mode: 'self-signed', durationHours: 1000 }, durationHours: 2000 } });
    expect(messages(input)).toEqual([expect.stringMatching(/^prod: security\.certificates\.authority\.durationHours = 1000, must exceed/)]);
  });

  test('reserved user names, retired users still declared, passwords on an mTLS listener', () => {
    expect(messages(aProdSpecWithUsers({ users: { admin: { password: 'generated' }, 'kafka-broker': { password: 'generated' } }, acls: {} }))).toEqual([
      expect.stringMatching(/^prod: security\.users\.admin = "admin", is reserved/),
      expect.stringMatching(/^prod: security\.users\.kafka-broker = "kafka-broker", is reserved/),
    ]);
    expect(messages(aProdSpecWithUsers({ retiredUsers: ['orders'] }))).toEqual([
      'prod: security.retiredUsers[0] = "orders", is still declared in security.users: remove it there or from here',
    ]);
    // kafka-exporter only speaks SCRAM, so an mTLS cluster runs without it.
    const mtls = {
      ...aProdSpecWithUsers(),
      kafka: { ...ENVIRONMENTS.prod.kafka, listeners: { client: { authentication: 'mtls' as const } } },
      monitoring: { ...ENVIRONMENTS.prod.monitoring, kafkaExporter: { enabled: false } },
    };
    expect(messages(mtls)).toEqual([
      expect.stringMatching(/^prod: security\.users\.orders\.password = "generated", applies only to SCRAM users/),
      expect.stringMatching(/^prod: security\.users\.billing\.password = .*applies only to SCRAM users, but kafka\.listeners\.client\.authentication is "mtls"/),
    ]);
  });

  test('schema-level mistakes name the field', () => {
    expect(messages(aProdSpecWithUsers({ acls: { orders: [{ bundle: 'producer', topic: 'bad topic!' }] } }))).toEqual([
      expect.stringMatching(/^prod: security\.acls\.orders\[0\]\.topic = "bad topic!", must be "\*" or use only/),
    ]);
    expect(messages(aProdSpecWithUsers({ users: { Orders_App: { password: 'generated' } } }))[0]).toMatch(/^prod: security\.users\.Orders_App/);
    expect(messages(aProdSpecWithUsers({ network: { clients: [{ podLabels: { app: 'x' } }] } }))).toEqual([
      expect.stringMatching(/^prod: security\.network\.clients\[0\] = .*must name a namespace or namespaceLabels/),
    ]);
  });

  test('synth fails as a whole, listing every problem', () => {
    const input = aProdSpecWithUsers({ users: { orders: {} }, certificates: { durationHours: 10, renewBeforeHours: 10 } });
    expect(() => validateEnvironments([ENVIRONMENTS.dev, input])).toThrow(/security\.users\.orders\.password[\s\S]*security\.acls\.billing[\s\S]*renewBeforeHours/);
  });
});
