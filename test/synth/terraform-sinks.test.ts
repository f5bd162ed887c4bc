/**
 * The Terraform sink: user strings that pass the schema never become Terraform expressions, and names the AWS
 * invariants accept fit AWS's limits in the synthesized Terraform itself.
 */
import { App, Testing } from '../../constructs/aws/cdktf';
import { hclStringLiteral } from '../../constructs/aws/terraform-expression';
import { buildClusterModel } from '../../constructs/kafka/model/cluster-model';
import { MAX_IAM_ROLE_NAME } from '../../constructs/kafka/spec/aws-names';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { checkEnvironment, validateEnvironment } from '../../constructs/kafka/validation/validate';
import { addEnvironmentStacks } from '../../stacks';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

function terraformOf(spec: EnvironmentSpec): Record<string, any>[] {
  const app = new App({ outdir: makeTempDir('tf-sink-'), stackTraces: false });
  return addEnvironmentStacks(app, buildClusterModel(validateEnvironment(spec))).map((stack) => JSON.parse(Testing.synth(stack)));
}

/** The start of every `${...}` interpolation in a JSON document. */
function interpolations(document: unknown): string[] {
  return [...JSON.stringify(document).matchAll(/(?<!\$)\$\{([^}]{0,40})/g)].map((match) => match[1]);
}

// Our own expressions: resource and data references, ephemeral values, the functions constructs call, and quoted
// string literals (hclStringLiteral: they evaluate to their own text, with any `${` inside escaped as `$${`).
const OWN_EXPRESSION = /^(aws_[a-z0-9_]+\.|data\.(aws_|terraform_remote_state)|ephemeral\.aws_|base64gzip\(|format\(|provider::|[a-z_]+\(|\\")/;

// Every string field that reaches Terraform, filled with the most unusual characters the schema lets through.
const punctuated = withChange(aVmStagingSpec(), (draft) => {
  draft.tags = { 'team:owner/x=y+z@q.r_s-t': 'a:b/c=d+e@f.g_h-i j', empty: '' };
  draft.terraformState = { bucket: 'acme.state-bucket', keyPrefix: "envs/staging_(x)!'*", region: 'eu-west-1' };
  draft.runtime.artifactMirror = { bucket: 'acme.artifacts', prefix: 'kafka/mirror_1.x-y' };
  draft.runtime.kafkaDistribution = { sha512: 'a'.repeat(128) };
  draft.security = {
    users: {
      app: { password: { awsSecret: 'team/app+kafka=secret@v1.0_x-y' } },
      other: { password: { awsSecret: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:team/other-AbCdEf' } },
    },
  };
});

describe('the Terraform expression sink', () => {
  it('every interpolation in the synthesized stacks is one of ours, even with punctuated user strings', () => {
    const foreign = terraformOf(punctuated).flatMap(interpolations).filter((expression) => !OWN_EXPRESSION.test(expression));
    expect(foreign).toEqual([]);
  });

  it('template syntax in any user string that reaches Terraform is rejected by the schema', () => {
    const attempts: [string, (draft: any) => void][] = [
      ['tags.team', (d) => (d.tags = { team: '${file("/etc/passwd")}' })],
      ['terraformState.bucket', (d) => (d.terraformState.bucket = '${var.bucket}')],
      ['terraformState.keyPrefix', (d) => (d.terraformState.keyPrefix = 'x/${path.root}')],
      ['runtime.artifactMirror.prefix', (d) => (d.runtime.artifactMirror = { bucket: 'b-bucket', prefix: '%{ for x in y }' })],
      ['security.users.app.password.awsSecret', (d) => (d.security = { users: { app: { password: { awsSecret: 'x${file("/etc/passwd")}' } } } })],
    ];
    for (const [path, change] of attempts) {
      const problems = checkEnvironment(withChange(punctuated, change)).problems;
      expect(problems.map((problem) => problem.path)).toContain(path);
    }
  });

  it('the escaping helper keeps ${ and %{ literal where our own text enters an expression', () => {
    expect(hclStringLiteral('${file("/etc/passwd")} %{ if x }')).toBe('"$${file(\\"/etc/passwd\\")} %%{ if x }"');
  });
});

describe('names the invariants accept fit AWS', () => {
  it(`IAM role names of the longest accepted environment and cluster names are at most ${MAX_IAM_ROLE_NAME} characters`, () => {
    const longest = withChange(aVmStagingSpec(), (draft) => {
      draft.name = 'staging-environment-abcdef';
      draft.kafka.clusterName = 'kafka-cluster-name-abcdefg';
    });
    expect(checkEnvironment(longest).problems).toEqual([]);
    const roleNames = terraformOf(longest).flatMap((stack) => Object.values<any>(stack.resource?.aws_iam_role ?? {}).map((role) => role.name as string));
    expect(roleNames.length).toBeGreaterThan(0);
    expect(Math.max(...roleNames.map((name) => name.length))).toBe(MAX_IAM_ROLE_NAME);
    const oneLonger = withChange(longest, (draft) => (draft.kafka.clusterName = 'kafka-cluster-name-abcdefgh'));
    expect(checkEnvironment(oneLonger).problems.map((problem) => problem.path)).toEqual(['kafka.clusterName']);
  });

  it('the EKS and network roles of a Kubernetes environment fit too', () => {
    const spec = withChange(aThreeZoneProdSpec(), (draft) => (draft.aws.eks = { clusterName: 'platform' }));
    const roleNames = terraformOf(spec).flatMap((stack) => Object.values<any>(stack.resource?.aws_iam_role ?? {}).map((role) => role.name as string));
    expect(roleNames.every((name) => name.length <= MAX_IAM_ROLE_NAME)).toBe(true);
  });
});
