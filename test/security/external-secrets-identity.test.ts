import { formatProblem } from '../../constructs/kafka/validation/problems';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { prod } from '../../environments/prod';
import { type TerraformJson, resourcesOf, synthEnvironment } from '../aws/support';
import { aThreeZoneProdSpec, withChange } from '../fixtures/environments';
import { removeTempDirs } from '../support/temp-dirs';
import { objectsOfKind, synthesizedObjects } from './support/manifests';

afterAll(removeTempDirs);

const ROLE = 'arn:aws:iam::123456789012:role/prod-kafka-external-secrets';
const problemsOf = (change: (draft: any) => void) => checkEnvironment(withChange(aThreeZoneProdSpec(), change)).problems.map(formatProblem);

describe('the SecretStore has its own identity in production', () => {
  it('validation rejects production without a SecretStore role, naming the field and the risk', () => {
    expect(problemsOf((draft) => delete draft.security.externalSecrets)).toEqual([
      expect.stringMatching(/^prod: security\.externalSecrets\.serviceAccountRoleArn is missing, is required in production: without it the SecretStore uses the External Secrets controller's own identity/),
    ]);
    expect(problemsOf(() => {})).toEqual([]);
  });

  it('outside production the controller\'s identity stays allowed', () => {
    expect(problemsOf((draft) => {
      draft.tier = 'staging';
      delete draft.security.externalSecrets;
    })).toEqual([]);
  });

  it('createRole needs the role ARN and an EKS cluster', () => {
    expect(problemsOf((draft) => (draft.security.externalSecrets = { serviceAccountRoleArn: ROLE, createRole: true }))).toEqual([
      expect.stringMatching(/^prod: security\.externalSecrets\.createRole = true, needs runtime\.kind "kubernetes" with aws\.eks/),
    ]);
    expect(problemsOf((draft) => {
      draft.tier = 'staging';
      draft.aws.eks = { clusterName: 'platform' };
      draft.security.externalSecrets = { createRole: true };
    })).toEqual([expect.stringMatching(/^prod: security\.externalSecrets\.createRole = true, needs security\.externalSecrets\.serviceAccountRoleArn/)]);
  });

  it('the production SecretStore authenticates as its own ServiceAccount, annotated with the role', () => {
    const objects = synthesizedObjects(prod);
    const [store] = objectsOfKind(objects, 'SecretStore');
    expect(store.spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'kafka-secrets-reader' } } });
    const account = objectsOfKind(objects, 'ServiceAccount').find((candidate) => candidate.metadata.name === 'kafka-secrets-reader')!;
    expect(account.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE });
    expect(account.automountServiceAccountToken).toBe(false);
  });
});

describe('<env>-nodes creates that role when asked', () => {
  const nodes = synthEnvironment(prod).get('prod-nodes')!.json;
  const document = (json: TerraformJson, reference: string) => json.data!.aws_iam_policy_document[/policy_document\.([^.]+)\.json/.exec(reference)![1]];

  it('trusted only by the SecretStore ServiceAccount\'s tokens from the cluster\'s OIDC provider, in the named account', () => {
    const [role] = resourcesOf(nodes, 'aws_iam_role').filter((candidate) => candidate.name === 'prod-kafka-external-secrets');
    expect(role.path).toBe('/');
    const [statement] = document(nodes, role.assume_role_policy).statement;
    expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(statement.principals).toEqual([{ type: 'Federated', identifiers: [expect.stringMatching(/^\$\{data\.aws_iam_openid_connect_provider\./)] }]);
    expect(statement.condition).toEqual([
      { test: 'StringEquals', variable: expect.stringMatching(/:sub$/), values: ['system:serviceaccount:kafka:kafka-secrets-reader'] },
      { test: 'StringEquals', variable: expect.stringMatching(/:aud$/), values: ['sts.amazonaws.com'] },
    ]);
    expect(role.lifecycle.precondition).toEqual([
      expect.objectContaining({ condition: expect.stringMatching(/account_id == "123456789012"/), error_message: expect.stringContaining('123456789012') }),
    ]);
  });

  it('with exactly the secrets read policy of <env>-secrets attached', () => {
    const attachments = resourcesOf(nodes, 'aws_iam_role_policy_attachment').filter((attachment) => /external-secrets-role/.test(attachment.role));
    expect(attachments.map((attachment) => attachment.policy_arn)).toEqual([expect.stringMatching(/cross-stack-reference-input-prod-secrets/)]);
  });
});

describe('the admin\'s previous password', () => {
  const externalSecrets = objectsOfKind(synthesizedObjects(prod), 'ExternalSecret');

  it('is not an error before the first rotation: a missing AWSPREVIOUS counts as "no secret" (deletionPolicy Delete)', () => {
    const previous = externalSecrets.find((candidate) => candidate.metadata.name === 'kafka-user-admin-previous')!;
    expect(previous.spec.data[0].remoteRef.version).toBe('AWSPREVIOUS');
    // ESO ignores a provider's "no such secret" only when the policy is not Retain, and deletes only Secrets it owns.
    expect(previous.spec.target).toMatchObject({ deletionPolicy: 'Delete', creationPolicy: 'Owner' });
  });

  it('while current passwords survive their secret vanishing from AWS', () => {
    const current = externalSecrets.filter((candidate) => !candidate.metadata.name.endsWith('-previous'));
    expect(current.length).toBeGreaterThan(1);
    for (const secret of current) expect(secret.spec.target.deletionPolicy).toBe('Retain');
  });
});
