import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { App, TerraformStack } from '../../constructs/aws/cdktf';
import { KafkaBrokerFleet } from '../../constructs/aws/kafka-broker-fleet';
import { KAFKA_PATHS } from '../../constructs/kafka/model/paths';
import { environments } from '../../environments';
import { synthesize } from '../../synth/synthesize';
import { aThreeZoneProdSpec, aVmStagingSpec, withChange } from '../fixtures/environments';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { type TerraformJson, modelOf, refersTo, resourcesOf, synthEnvironment, userDataOf } from './support';

afterAll(removeTempDirs);

const model = modelOf(aVmStagingSpec());
const stacks = synthEnvironment(aVmStagingSpec());
const network = stacks.get('staging-network')!.json;
const kafka = stacks.get('staging-kafka')!.json;
const instances = resourcesOf(kafka, 'aws_instance');
const volumes = resourcesOf(kafka, 'aws_ebs_volume');
const [dataKey] = resourcesOf(kafka, 'aws_kms_key');

/** The network stack's subnet of `zone`, as the kafka stack reads it from remote state. */
function subnetOutputOf(zone: string): string {
  const subnet = resourcesOf(network, 'aws_subnet').find((candidate) => candidate.availability_zone === zone)!;
  const outputs = network.output!;
  const name = Object.keys(outputs).find((key) => outputs[key].value === `\${aws_subnet.${subnet.__name}.id}`)!;
  return `\${data.terraform_remote_state.cross-stack-reference-input-staging-network.outputs.${name}}`;
}

describe('KafkaBrokerFleet', () => {
  it('runs one instance per node, in the subnet of its zone, tagged with its node id and rack', () => {
    expect(instances.map((instance) => instance.tags.Name).sort()).toEqual(model.nodes.map((node) => node.name).sort());
    for (const node of model.nodes) {
      const instance = instances.find((candidate) => candidate.tags.Name === node.name)!;
      expect(instance.subnet_id).toBe(subnetOutputOf(node.zone));
      expect(instance.tags).toMatchObject({ 'kafka/node-id': String(node.nodeId), 'kafka/rack': node.zone, 'kafka/role': node.role });
      expect(instance.instance_type).toBe(node.role === 'broker' ? 'r6i.large' : 'm6i.large');
    }
  });

  it('requires IMDSv2 with one hop and gives no instance a public address', () => {
    for (const instance of instances) {
      expect(instance.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
      expect(instance.associate_public_ip_address).toBe(false);
      expect(instance.key_name).toBeUndefined();
    }
  });

  it('encrypts every EBS volume, root and data, with the rotating customer-managed key', () => {
    expect(dataKey.enable_key_rotation).toBe(true);
    expect(volumes).toHaveLength(model.nodes.length);
    for (const volume of volumes) {
      expect(volume.encrypted).toBe(true);
      expect(refersTo(volume.kms_key_id, 'aws_kms_key', dataKey, 'arn')).toBe(true);
    }
    for (const instance of instances) {
      expect(instance.root_block_device.encrypted).toBe(true);
      expect(refersTo(instance.root_block_device.kms_key_id, 'aws_kms_key', dataKey, 'arn')).toBe(true);
    }
  });

  it('sizes data volumes from the spec and attaches each at the fixed device of its own instance', () => {
    const broker = volumes.find((volume) => volume.tags.Name === 'kafka-broker-eu-central-1a-0-data')!;
    expect(broker).toMatchObject({ availability_zone: 'eu-central-1a', size: 200, type: 'gp3', iops: 3000, throughput: 125 });
    const controller = volumes.find((volume) => volume.tags.Name === 'kafka-controller-1-data')!;
    expect(controller).toMatchObject({ availability_zone: 'eu-central-1b', size: 20 });
    for (const attachment of resourcesOf(kafka, 'aws_volume_attachment')) {
      expect(attachment.device_name).toBe('/dev/sdf');
      const volume = volumes.find((candidate) => refersTo(attachment.volume_id, 'aws_ebs_volume', candidate))!;
      const instance = instances.find((candidate) => refersTo(attachment.instance_id, 'aws_instance', candidate))!;
      expect(`${instance.tags.Name}-data`).toBe(volume.tags.Name);
    }
  });

  it('publishes one private DNS record per node under the name Kafka advertises', () => {
    const records = resourcesOf(kafka, 'aws_route53_record');
    expect(records.map((record) => record.name).sort()).toEqual(model.nodes.map((node) => node.host).sort());
    const [zone] = resourcesOf(kafka, 'aws_route53_zone');
    expect(zone.name).toBe('kafka.staging.internal');
  });

  it('keeps the associations peered client and monitoring VPCs add to the DNS zone (inline vpc blocks are exclusive)', () => {
    const [zone] = resourcesOf(kafka, 'aws_route53_zone');
    expect(zone.vpc).toEqual([{ vpc_id: expect.stringContaining('cross-stack-output-aws_vpcnetwork_vpc') }]);
    // Without this, re-applying <env>-kafka disassociates the application VPC of aws.clientCidrs: its clients stop resolving brokers.
    expect(zone.lifecycle).toEqual({ ignore_changes: ['vpc'] });
  });

  it('lets nodes use Session Manager and read only the secrets their role needs at boot', () => {
    // No AWS managed policy (AmazonSSMManagedInstanceCore reads every SSM parameter): only the fleet's own.
    const policy = resourcesOf(kafka, 'aws_iam_policy').find((candidate) => candidate.name === 'staging-kafka-session-manager')!;
    const attachments = resourcesOf(kafka, 'aws_iam_role_policy_attachment');
    expect(attachments).toHaveLength(2);
    for (const attachment of attachments) expect(refersTo(attachment.policy_arn, 'aws_iam_policy', policy, 'arn')).toBe(true);
    const documents = kafka.data!.aws_iam_policy_document;
    const readable = (kind: string) => {
      const document = Object.entries(documents).find(([name]) => name.startsWith(`fleet_${kind}-policy`))![1];
      const read = document.statement.find((statement: any) => statement.sid === 'ReadOwnBootSecrets');
      // Controllers also read the reconcile bundle (vm/reconcile.ts) and decrypt the admin's secret; brokers do neither.
      const controllerOnly = kind === 'controller' ? ['kms:Decrypt', 's3:GetObject', 's3:ListBucket'] : [];
      expect(document.statement.flatMap((statement: any) => statement.actions).sort()).toEqual([...controllerOnly, 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'].sort());
      return read.resources.map((arn: string) => arn.replace(/^.*:secret:/, ''));
    };
    // Controllers run the reconcile, so they read every SCRAM user's password (here admin and kafka-exporter).
    expect(readable('controller')).toEqual(['kafka/staging/kafka/tls/ca-??????', 'kafka/staging/kafka/users/admin-??????', 'kafka/staging/kafka/users/kafka-exporter-??????']);
    expect(readable('broker')).toEqual(['kafka/staging/kafka/tls/ca-??????']);
    for (const instance of instances) {
      const profile = resourcesOf(kafka, 'aws_iam_instance_profile').find((candidate) => refersTo(instance.iam_instance_profile, 'aws_iam_instance_profile', candidate, 'name'))!;
      expect(profile.name).toBe(`staging-kafka-${instance.tags['kafka/role']}`);
    }
  });

  it('never replaces a running node on its own: AMI and user data changes wait for an explicit -replace', () => {
    for (const instance of instances) {
      expect(instance.lifecycle.ignore_changes).toEqual(['ami', 'user_data_base64']);
      expect(instance.tags['kafka/config-sha256']).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('protects production data volumes from destroy and snapshots them on delete, but not staging ones', () => {
    expect(volumes.every((volume) => volume.lifecycle.prevent_destroy === false && volume.final_snapshot === false)).toBe(true);
    const prod = withChange(aVmStagingSpec(), (draft) => {
      draft.name = 'prod';
      draft.tier = 'production';
      draft.runtime.kafkaDistribution = { sha512: 'ab'.repeat(64) };
      draft.runtime.artifactMirror = { bucket: 'acme-artifacts' };
    });
    const prodVolumes = resourcesOf(synthEnvironment(prod).get('prod-kafka')!.json, 'aws_ebs_volume');
    expect(prodVolumes.length).toBe(6);
    expect(prodVolumes.every((volume) => volume.lifecycle.prevent_destroy === true && volume.final_snapshot === true)).toBe(true);
  });

  it('changes the config tag of exactly the nodes whose configuration changed', () => {
    const digests = (json: TerraformJson) =>
      Object.fromEntries(resourcesOf(json, 'aws_instance').map((instance) => [instance.tags.Name, instance.tags['kafka/config-sha256']]));
    const bigger = withChange(aVmStagingSpec(), (draft) => {
      draft.kafka.brokers.size = { instanceType: 'r6i.xlarge' }; // more heap and threads for brokers only
    });
    const before = digests(kafka);
    const after = digests(synthEnvironment(bigger).get('staging-kafka')!.json);
    const changed = Object.keys(before).filter((name) => before[name] !== after[name]).sort();
    expect(changed).toEqual(model.brokers.map((node) => node.name).sort());
  });

  it('refuses a Kubernetes environment', () => {
    const stack = new TerraformStack(new App({ outdir: makeTempDir('fleet-') }), 'test');
    expect(
      () => new KafkaBrokerFleet(stack, 'fleet', { model: modelOf(aThreeZoneProdSpec()), vpcId: 'vpc-1', subnetIds: {}, controllerSecurityGroupIds: [], brokerSecurityGroupIds: [] }),
    ).toThrow('has runtime.kind "kubernetes", not "vm"');
  });
});

describe('the synthesized user data of every staging node', () => {
  const root = makeTempDir('fleet-synth-');
  synthesize({ rootDir: root, environments, only: ['staging'] });
  const synthesized = JSON.parse(readFileSync(join(root, 'cdktf.out', 'stacks', 'staging-kafka', 'cdk.tf.json'), 'utf8')) as TerraformJson;
  const nodes = resourcesOf(synthesized, 'aws_instance').map((instance) => [instance.tags.Name as string, instance] as const);

  it.each(nodes)('%s carries exactly dist/staging/kafka/<node>.properties', (name, instance) => {
    const config = parse(userDataOf(instance)) as { write_files: { path: string; content: string }[] };
    const properties = config.write_files.find((file) => file.path === KAFKA_PATHS.configFile)!.content;
    expect(properties).toBe(readFileSync(join(root, 'dist', 'staging', 'kafka', `${name}.properties`), 'utf8'));
  });

  it.each(nodes)('%s carries exactly the reviewable dist/staging/vm/<node>.cloud-init.yaml', (name, instance) => {
    expect(userDataOf(instance)).toBe(readFileSync(join(root, 'dist', 'staging', 'vm', `${name}.cloud-init.yaml`), 'utf8'));
  });
});
