import KAFKA_TLS_SCRIPT from '../../constructs/kafka/vm/scripts/kafka-tls.sh';
import { checkEnvironment } from '../../constructs/kafka/validation/validate';
import { formatProblem } from '../../constructs/kafka/validation/problems';
import { environments } from '../../environments';
import { aVmStagingSpec, withChange } from '../fixtures/environments';
import { removeTempDirs } from '../support/temp-dirs';
import { type TerraformJson, refersTo, resourcesOf, synthEnvironment } from './support';

afterAll(removeTempDirs);

const CA_ARN = 'arn:aws:acm-pca:eu-central-1:123456789012:certificate-authority/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const privateCa = withChange(aVmStagingSpec(), (draft) => {
  draft.runtime.certificateAuthority = { kind: 'private-ca', arn: CA_ARN };
});

/** Every stack of the shipped environments and of a Private-CA VM environment. */
const stacks: [string, TerraformJson][] = [...environments, privateCa].flatMap((spec, index) =>
  [...synthEnvironment(spec).entries()].map(([name, stack]): [string, TerraformJson] => [index === environments.length ? `private-ca ${name}` : name, stack.json]),
);

/** The policy document a `${data.aws_iam_policy_document.<name>.json}` reference points at. */
function documentOf(json: TerraformJson, reference: string): { statement: any[] } {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference);
  if (!match) throw new Error(`not a policy document reference: ${reference}`);
  return json.data!.aws_iam_policy_document[match[1]] as { statement: any[] };
}

const USE_ACTIONS = /^kms:(\*|Decrypt|Encrypt|GenerateDataKey|ReEncrypt|CreateGrant)/;

describe('Private CA: nodes issue end-entity certificates only (no subordinate CA)', () => {
  const [, kafka] = stacks.find(([name]) => name === 'private-ca staging-kafka')!;

  it.each(['controller', 'broker'])('the %s role may call IssueCertificate only with the EndEntityCertificate/V1 template', (role) => {
    const policy = resourcesOf(kafka, 'aws_iam_role_policy').find((candidate) => candidate.name === `kafka-${role}`)!;
    const statements = documentOf(kafka, policy.policy).statement.filter((statement) => statement.actions.some((action: string) => action.startsWith('acm-pca:')));
    const issue = statements.filter((statement) => statement.actions.includes('acm-pca:IssueCertificate'));
    expect(issue).toEqual([
      expect.objectContaining({
        resources: [CA_ARN],
        actions: ['acm-pca:IssueCertificate'],
        condition: [{ test: 'StringEquals', variable: 'acm-pca:TemplateArn', values: [expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\}:acm-pca:::template\/EndEntityCertificate\/V1$/)] }],
      }),
    ]);
  });

  it('the boot script names that template, so its request matches the condition', () => {
    expect(KAFKA_TLS_SCRIPT).toContain('--template-arn "${CA_ARN%%:acm-pca:*}:acm-pca:::template/EndEntityCertificate/V1"');
  });
});

describe('Session Manager without parameter reads, transcribed to an encrypted log group', () => {
  const withNodes = stacks.filter(([, json]) => resourcesOf(json, 'aws_iam_role').some((role) => /ec2\.amazonaws\.com/.test(JSON.stringify(documentOf(json, role.assume_role_policy)))));

  it('covers the VM and the EKS node stacks', () => {
    expect(withNodes.map(([name]) => name)).toEqual(expect.arrayContaining(['staging-kafka', 'prod-nodes']));
  });

  it.each(withNodes)('%s attaches no AWS managed SSM policy and grants no ssm:GetParameter*', (_, json) => {
    const attached = resourcesOf(json, 'aws_iam_role_policy_attachment').map((attachment) => attachment.policy_arn);
    expect(attached.filter((arn) => /AmazonSSM/.test(arn))).toEqual([]);
    const [policy] = resourcesOf(json, 'aws_iam_policy').filter((candidate) => candidate.name.endsWith('-session-manager'));
    const actions = documentOf(json, policy.policy).statement.flatMap((statement) => statement.actions);
    expect(actions).toContain('ssmmessages:OpenDataChannel');
    expect(actions.filter((action: string) => /^ssm:Get|^ssm:\*|^\*$/.test(action))).toEqual([]);
  });

  it.each(withNodes)('%s logs sessions to a KMS-encrypted group through its session document', (_, json) => {
    const [group] = resourcesOf(json, 'aws_cloudwatch_log_group').filter((candidate) => candidate.name.endsWith('/sessions'));
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
    const [document] = resourcesOf(json, 'aws_ssm_document');
    expect(document.document_type).toBe('Session');
    expect(JSON.parse(document.content).inputs).toMatchObject({ cloudWatchLogGroupName: group.name, cloudWatchEncryptionEnabled: true });
  });
});

describe('KMS key policies separate administration from use', () => {
  const keys = stacks.flatMap(([name, json]) => resourcesOf(json, 'aws_kms_key').map((key) => [`${name} ${key.__name}`, documentOf(json, key.policy)] as const));

  it('every key has a policy of ours', () => {
    expect(keys.length).toBeGreaterThanOrEqual(8);
  });

  it.each(keys)('%s: the account administers the key but uses it only through a service', (_, policy) => {
    const account = policy.statement.filter((statement) => statement.principals?.some((principal: any) => principal.type === 'AWS' && /:root$/.test(principal.identifiers[0])));
    const administer = account.find((statement) => statement.sid === 'AccountAdministersKeyThroughIam')!;
    expect(administer.actions).toContain('kms:PutKeyPolicy');
    expect(administer.actions.filter((action: string) => USE_ACTIONS.test(action))).toEqual([]);
    for (const statement of account.filter((candidate) => candidate !== administer)) {
      expect(statement.condition).toEqual(expect.arrayContaining([expect.objectContaining({ variable: 'kms:ViaService' }), expect.objectContaining({ variable: 'kms:CallerAccount' })]));
    }
  });

  it('node roles decrypt only the user secrets\' key, never any key', () => {
    for (const [, json] of stacks) {
      for (const policy of resourcesOf(json, 'aws_iam_role_policy')) {
        for (const statement of documentOf(json, policy.policy).statement.filter((candidate) => candidate.actions.includes('kms:Decrypt'))) {
          expect(statement.resources).not.toContain('*');
        }
      }
    }
    const [, kafka] = stacks.find(([name]) => name === 'staging-kafka')!;
    const controller = resourcesOf(kafka, 'aws_iam_role_policy').find((candidate) => candidate.name === 'kafka-controller')!;
    const decrypt = documentOf(kafka, controller.policy).statement.find((statement) => statement.actions.includes('kms:Decrypt'));
    expect(decrypt.resources).toEqual([expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-staging-secrets\.outputs\./)]);
  });
});

describe('flow logs', () => {
  it.each(stacks.filter(([name]) => name.endsWith('-network')))('%s: the service assumes the role only for this account\'s flow logs', (_, json) => {
    const [role] = resourcesOf(json, 'aws_iam_role').filter((candidate) => candidate.name.endsWith('-flow-logs'));
    const [statement] = documentOf(json, role.assume_role_policy).statement;
    expect(statement.condition).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ test: 'StringEquals', variable: 'aws:SourceAccount' }),
        expect.objectContaining({ test: 'ArnLike', variable: 'aws:SourceArn', values: [expect.stringMatching(/:vpc-flow-log\/\*$/)] }),
      ]),
    );
  });
});

describe('production VMs get no internet', () => {
  const prod = (change: (draft: any) => void) =>
    checkEnvironment(
      withChange(aVmStagingSpec(), (draft) => {
        draft.name = 'prod';
        draft.tier = 'production';
        draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
        change(draft);
      }),
    ).problems.map(formatProblem);

  it('require the artifact mirror, and with it have no egress', () => {
    expect(prod(() => {})).toEqual([expect.stringMatching(/^prod: runtime.artifactMirror is missing, is required for production VMs/)]);
    expect(prod((draft) => (draft.runtime.artifactMirror = { bucket: 'acme-artifacts' }))).toEqual([]);
  });

  it('refuse NAT egress', () => {
    expect(prod((draft) => {
      draft.runtime.artifactMirror = { bucket: 'acme-artifacts' };
      draft.aws.egress = 'nat';
    })).toEqual(['prod: aws.egress = "nat", must be "none" for production VMs: nodes holding the CA key or the admin password get no route to the internet (use runtime.artifactMirror)']);
  });

  it('and their security groups then allow HTTPS only inside the VPC and to S3', () => {
    const spec = withChange(aVmStagingSpec(), (draft) => {
      draft.tier = 'production';
      draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
      draft.runtime.artifactMirror = { bucket: 'acme-artifacts' };
    });
    const kafka = synthEnvironment(spec).get('staging-kafka')!.json;
    const https = resourcesOf(kafka, 'aws_vpc_security_group_egress_rule').filter((rule) => rule.from_port === 443);
    expect(https.length).toBeGreaterThan(0);
    for (const rule of https) expect(rule.cidr_ipv4 === undefined || rule.cidr_ipv4 === '10.20.0.0/16').toBe(true);
    expect(resourcesOf(synthEnvironment(spec).get('staging-network')!.json, 'aws_nat_gateway')).toEqual([]);
  });
});

describe('endpoint policies', () => {
  const vmMirror = withChange(aVmStagingSpec(), (draft) => {
    draft.aws.egress = 'none';
    draft.runtime.artifactMirror = { bucket: 'acme-artifacts', prefix: 'kafka/4.1.1' };
    draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
  });
  const network = synthEnvironment(vmMirror).get('staging-network')!.json;
  const endpoints = resourcesOf(network, 'aws_vpc_endpoint');

  it('the S3 gateway admits the Amazon Linux repositories, the mirror prefix and the account\'s own buckets only', () => {
    const s3 = endpoints.find((endpoint) => endpoint.vpc_endpoint_type === 'Gateway')!;
    const statements = documentOf(network, s3.policy).statement;
    expect(statements.map((statement) => statement.sid).sort()).toEqual(['AmazonLinuxRepositories', 'OwnAccountBuckets', 'ReadListedObjects', 'SsmAgentAndPatchBaselines']);
    // Everything outside the account is read-only.
    for (const statement of statements.filter((candidate) => candidate.sid !== 'OwnAccountBuckets')) expect(statement.actions).toEqual(['s3:GetObject']);
    const bySid = Object.fromEntries(statements.map((statement) => [statement.sid, statement]));
    expect(bySid.AmazonLinuxRepositories).toMatchObject({ actions: ['s3:GetObject'], resources: [expect.stringMatching(/:s3:::al2023-repos-eu-central-1-de612dc2\/\*$/)] });
    expect(bySid.ReadListedObjects).toMatchObject({ actions: ['s3:GetObject'], resources: [expect.stringMatching(/:s3:::acme-artifacts\/kafka\/4\.1\.1\/\*$/)] });
    expect(bySid.OwnAccountBuckets.condition.map((condition: any) => condition.variable).sort()).toEqual(['aws:PrincipalAccount', 'aws:ResourceAccount']);
  });

  it('every interface endpoint serves the account\'s principals only, and its own resources where they are always its own', () => {
    const interfaces = endpoints.filter((endpoint) => endpoint.vpc_endpoint_type === 'Interface');
    expect(interfaces.length).toBeGreaterThanOrEqual(7);
    for (const endpoint of interfaces) {
      const service = endpoint.service_name.replace('com.amazonaws.eu-central-1.', '');
      const [own, ...rest] = documentOf(network, endpoint.policy).statement;
      const variables = own.condition.map((condition: any) => condition.variable).sort();
      expect(variables).toEqual(['kms', 'logs', 'secretsmanager'].includes(service) ? ['aws:PrincipalAccount', 'aws:ResourceAccount'] : ['aws:PrincipalAccount']);
      // STS also lets web identities (IRSA tokens) into the account's own roles, which carry no principal account.
      expect(rest.map((statement: any) => statement.actions)).toEqual(service === 'sts' ? [['sts:AssumeRoleWithWebIdentity']] : []);
    }
  });

  it('the endpoint security group is replaced before it is destroyed, under a generated name', () => {
    const [group] = resourcesOf(network, 'aws_security_group').filter((candidate) => candidate.tags?.Name === 'staging-kafka-vpc-endpoints');
    expect(group.name).toBeUndefined();
    expect(group.name_prefix).toBe('staging-kafka-vpc-endpoints-');
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
    for (const endpoint of endpoints.filter((candidate) => candidate.vpc_endpoint_type === 'Interface')) {
      expect(refersTo(endpoint.security_group_ids[0], 'aws_security_group', group)).toBe(true);
    }
  });
});
