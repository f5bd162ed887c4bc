import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { Construct } from 'constructs';
import { amazonLinuxAmiParameter, instanceArchitecture } from '../kafka/model/aws-layout';
import type { ClusterModel } from '../kafka/model/cluster-model';
import type { VmRuntime } from '../kafka/spec/environment-spec';
import type { NodeRole } from '../kafka/model/sizing';
import { vmDnsZone } from '../kafka/model/topology';
import type { KafkaNode } from '../kafka/model/topology';
import { DATA_VOLUME_DEVICE, renderVmUserData, userDataDigest, vmSecretNames } from '../kafka/vm/bootstrap';
import { nodeLogShipping, vmLogGroupName } from '../kafka/vm/log-shipping';
import { BUNDLE_PREFIX, reconcileBucketName, vmReconcileBundle, vmReconcileSecretIds } from '../kafka/vm/reconcile';
import { reconcileEnabled } from '../kafka/security/reconcile-script';
import { KafkaReconcileBundle } from './kafka-reconcile-bundle';
import { KafkaKmsKey } from './kafka-kms-key';
import { SessionManagerAccess } from './session-manager-access';
import { base64gzipExpression } from './terraform-expression';

/**
 * The ACM Private CA template for ordinary leaf certificates; `kafka-tls.sh` names it explicitly (an omitted template
 * would not match the IAM condition).
 */
export function privateCaEndEntityTemplateArn(partition: string): string {
  return `arn:${partition}:acm-pca:::template/EndEntityCertificate/V1`;
}

/**
 * What a {@link KafkaBrokerFleet} needs: the cluster model and the network and security groups the stacks created for
 * it.
 */
export interface KafkaBrokerFleetProps {
  /** The cluster to run; its spec must have `runtime.kind: 'vm'`. Nodes, ids, racks and host names come from it. */
  readonly model: ClusterModel;
  /** VPC the private DNS zone is attached to. */
  readonly vpcId: string;
  /** Private subnet of each zone (= rack), keyed by zone name; every zone of the spec needs one. */
  readonly subnetIds: Readonly<Record<string, string>>;
  /** Security groups of the controller instances. */
  readonly controllerSecurityGroupIds: readonly string[];
  /** Security groups of the broker instances. */
  readonly brokerSecurityGroupIds: readonly string[];
  /** The JMX exporter rules file the agent loads. @default - none; required when monitoring is enabled */
  readonly jmxExporterConfig?: string;
  /** Name prefix of the fleet's IAM role, key alias and tags. @default '<env>-<cluster>' */
  readonly name?: string;
  /**
   * KMS key of the user secrets (`KafkaUserSecrets.kmsKeyArn`): the only key the controllers may decrypt the admin
   * password with. @default - no KMS permission in the node roles: the secrets' key policy must admit them, or the
   * secrets use the AWS managed key
   */
  readonly secretsKmsKeyArn?: string;
  /**
   * KMS key of the bring-your-own CA secret, when it is encrypted with a customer-managed key.
   * @default - none (the AWS managed key `aws/secretsmanager`, or a key policy that admits the node roles)
   */
  readonly caSecretKmsKeyArn?: string;
}

/** One node's resources. */
export interface FleetNode {
  /** The controller or broker this instance runs (node id, role, zone, host name). */
  readonly node: KafkaNode;
  /** The EC2 instance, in its zone's private subnet, booting from the rendered cloud-config. */
  readonly instance: Instance;
  /**
   * The node's own encrypted EBS data volume; it outlives the instance, so a replaced instance mounts the same data.
   */
  readonly dataVolume: EbsVolume;
  /** The private DNS A record of the name Kafka advertises for this node (`<node>.<cluster zone>`). */
  readonly record: Route53Record;
  /** The plain cloud-config; the instance receives it gzip-compressed. */
  readonly userData: string;
}

/**
 * Kafka on EC2: one instance per controller and broker of the model, in its zone's subnet, so node ids and racks
 * never move. Each node has a gp3/io2 data volume encrypted with a customer-managed key that outlives the instance
 * (replace an instance and the new one mounts the same data), IMDSv2 only, an instance profile per role that can use
 * Session Manager and read only the secrets that role needs at boot, and a private DNS record under the name Kafka
 * advertises.
 */
export class KafkaBrokerFleet extends Construct {
  /** Customer-managed KMS key that encrypts every node's data volume. */
  readonly dataKey: KafkaKmsKey;
  /** IAM role of each node role: controllers may read the admin password, brokers may not. */
  readonly roles: Readonly<Record<NodeRole, IamRole>>;
  /** Private Route 53 zone, attached to the VPC, that holds the nodes' advertised names. */
  readonly dnsZone: Route53Zone;
  /** Every controller and broker of the model, controllers first, in node id order. */
  readonly nodes: readonly FleetNode[];
  /**
   * The controllers' reconcile script and plan, when the spec has anything to reconcile.
   * @default - none: the spec has no topics, no quotas and no authorization (ACLs) to reconcile
   */
  readonly reconcileBundle?: KafkaReconcileBundle;
  /** Session Manager for the nodes, with transcripts in an encrypted log group. */
  readonly sessionManager: SessionManagerAccess;
  /**
   * The log group the nodes' CloudWatch agents ship to, encrypted with the transcript key, when the spec ships logs
   * (`runtime.logShipping`, on by default in production).
   * @default - none, when the nodes do not ship their logs
   */
  readonly nodeLogGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: KafkaBrokerFleetProps) {
    super(scope, id);
    const { model } = props;
    const { spec } = model;
    if (spec.runtime.kind !== 'vm') throw new Error(`KafkaBrokerFleet ${id}: environment ${spec.name} has runtime.kind "${spec.runtime.kind}", not "vm"`);
    const runtime = spec.runtime;
    const missing = spec.aws.availabilityZones.filter((zone) => !props.subnetIds[zone]);
    if (missing.length > 0) throw new Error(`KafkaBrokerFleet ${id}: subnetIds has no subnet for zone(s) ${missing.join(', ')}`);
    const name = props.name ?? `${spec.name}-${spec.kafka.clusterName}`;

    // Used only by EC2 for the volumes, on behalf of whoever launches the instances.
    this.dataKey = new KafkaKmsKey(this, 'data-key', { description: `Encrypts the Kafka volumes of ${name}`, alias: `${name}/ebs`, usableThrough: ['ec2'] });
    const assume = new DataAwsIamPolicyDocument(this, 'assume', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
    });
    if (reconcileEnabled(model)) {
      this.reconcileBundle = new KafkaReconcileBundle(this, 'reconcile-bundle', {
        bucketName: reconcileBucketName(spec),
        files: vmReconcileBundle(model),
        prefix: BUNDLE_PREFIX,
        forceDestroy: spec.tier !== 'production',
      });
    }
    this.roles = {
      controller: this.nodeRole(name, model, runtime, 'controller', assume, props),
      broker: this.nodeRole(name, model, runtime, 'broker', assume, props),
    };
    const shipping = nodeLogShipping(spec);
    this.sessionManager = new SessionManagerAccess(this, 'session-manager', {
      name,
      roleNames: [this.roles.controller.name, this.roles.broker.name],
      // One key for everything the nodes log; its policy admits CloudWatch Logs for each group separately.
      ...(shipping.enabled ? { sharedKeyLogGroups: [{ sid: 'CloudWatchLogsUsesKeyForNodeLogGroup', name: vmLogGroupName(spec) }] } : {}),
    });
    if (shipping.enabled) {
      this.nodeLogGroup = new CloudwatchLogGroup(this, 'node-log-group', {
        name: vmLogGroupName(spec),
        retentionInDays: shipping.retentionDays,
        kmsKeyId: this.sessionManager.logKey.keyArn,
      });
    }
    const profiles = {
      controller: new IamInstanceProfile(this, 'controller-profile', { name: `${name}-controller`, role: this.roles.controller.name }),
      broker: new IamInstanceProfile(this, 'broker-profile', { name: `${name}-broker`, role: this.roles.broker.name }),
    };

    this.dnsZone = new Route53Zone(this, 'dns-zone', {
      name: vmDnsZone(spec),
      comment: `Kafka nodes of ${name}: the names in advertised.listeners and controller.quorum.voters`,
      vpc: [{ vpcId: props.vpcId }],
      // Clients and Prometheus in peered VPCs (aws.clientCidrs, aws.monitoringCidrs) can only resolve the advertised
      // names when their VPC is associated with this zone, which their owners do with aws_route53_zone_association
      // (dns_zone_id). Inline `vpc` blocks are exclusive: without this, every apply would disassociate those VPCs and
      // cut their clients off. The Kafka VPC's own association is still made at creation (a private zone needs one).
      lifecycle: { ignoreChanges: ['vpc'] },
    });

    const amis = new Map<string, string>();
    const amiFor = (instanceType: string): string => {
      if (runtime.amiId) return runtime.amiId;
      const architecture = instanceArchitecture(instanceType);
      if (!amis.has(architecture)) {
        amis.set(architecture, new DataAwsSsmParameter(this, `ami-${architecture}`, { name: amazonLinuxAmiParameter(architecture) }).insecureValue);
      }
      return amis.get(architecture)!;
    };

    this.nodes = model.nodes.map((node) => {
      const sizing = model.sizing[node.role];
      const storage = node.role === 'broker' ? spec.kafka.brokers.storage : spec.kafka.controllers.storage;
      const userData = renderVmUserData(model, node, { jmxExporterConfig: props.jmxExporterConfig });
      const production = spec.tier === 'production';
      const instance = new Instance(this, `${node.name}-instance`, {
        ami: amiFor(sizing.instanceType!),
        instanceType: sizing.instanceType!,
        subnetId: props.subnetIds[node.zone],
        vpcSecurityGroupIds: [...(node.role === 'broker' ? props.brokerSecurityGroupIds : props.controllerSecurityGroupIds)],
        iamInstanceProfile: profiles[node.role].name,
        associatePublicIpAddress: false,
        ebsOptimized: true,
        monitoring: true,
        // No termination protection: instances are replaceable by design (the rolling procedure replaces them);
        // what must survive is the data volume, which production protects below.
        // IMDSv2 only, one hop: a container on the node cannot reach the instance's credentials.
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
        rootBlockDevice: { volumeType: 'gp3', volumeSize: 20, encrypted: true, kmsKeyId: this.dataKey.keyArn, deleteOnTermination: true },
        userDataBase64: base64gzipExpression(userData),
        tags: {
          Name: node.name,
          'kafka/node-id': String(node.nodeId),
          'kafka/role': node.role,
          'kafka/rack': node.zone,
          // A changed configuration shows up in a plan as this tag changing; replacing the instance applies it.
          'kafka/config-sha256': userDataDigest(userData),
        },
        // Never replace a running node behind the operator's back: a new AMI or configuration is rolled one node at a
        // time with `terraform apply -replace=...`; the data volume survives.
        lifecycle: { ignoreChanges: ['ami', 'user_data_base64'] },
        // The agent starts at boot and writes into the group; it may not create one (no logs:CreateLogGroup).
        ...(this.nodeLogGroup ? { dependsOn: [this.nodeLogGroup] } : {}),
      });
      const dataVolume = new EbsVolume(this, `${node.name}-data`, {
        availabilityZone: node.zone,
        size: storage.sizeGiB,
        type: storage.volumeType,
        ...(storage.volumeType === 'gp3'
          ? { iops: storage.iops ?? 3000, throughput: storage.throughputMiBps ?? 125 }
          : { iops: storage.iops }),
        encrypted: true,
        kmsKeyId: this.dataKey.keyArn,
        tags: { Name: `${node.name}-data`, 'kafka/node-id': String(node.nodeId), 'kafka/role': node.role, 'kafka/rack': node.zone },
        // Production data survives a mistaken destroy twice over: Terraform refuses, and AWS snapshots on delete.
        finalSnapshot: production,
        lifecycle: { preventDestroy: production },
      });
      new VolumeAttachment(this, `${node.name}-data-attachment`, {
        deviceName: DATA_VOLUME_DEVICE,
        volumeId: dataVolume.id,
        instanceId: instance.id,
        // Stop Kafka's instance before detaching, so the file system is unmounted cleanly on replacement.
        stopInstanceBeforeDetaching: true,
      });
      const record = new Route53Record(this, `${node.name}-dns`, {
        zoneId: this.dnsZone.zoneId,
        name: node.host,
        type: 'A',
        ttl: 60,
        records: [instance.privateIp],
      });
      return { node, instance, dataVolume, record, userData };
    });
  }

  /** Read of exactly the secrets a node of `kind` needs (and their keys), and what the CA and mirror need. */
  private nodeRole(name: string, model: ClusterModel, runtime: VmRuntime, kind: NodeRole, assume: DataAwsIamPolicyDocument, props: KafkaBrokerFleetProps): IamRole {
    const { spec } = model;
    const role = new IamRole(this, `${kind}-role`, {
      name: `${name}-${kind}`,
      description: `Kafka ${kind}s of ${name}: Session Manager and read access to the secrets they need at boot`,
      assumeRolePolicy: assume.json,
    });
    const account = this.dataKey.accountId;
    const partition = this.dataKey.partition;
    const secrets = vmSecretNames(model, kind);
    // Secrets Manager appends "-" and six random characters to a secret's name in its ARN.
    // Controllers also read every SCRAM user's password for the reconcile timer (vm/reconcile.ts); brokers do not.
    const reconcileSecrets = kind === 'controller' ? vmReconcileSecretIds(model) : [];
    const secretArns = [...new Set([...Object.values(secrets), ...reconcileSecrets])]
      .sort()
      .map((secret) => (secret.startsWith('arn:') ? secret : `arn:${partition}:secretsmanager:${spec.aws.region}:${account}:secret:${secret}-??????`));
    const statements: DataAwsIamPolicyDocumentStatement[] = [];
    // Exactly the keys of the secrets this role reads: the user secrets' key for the admin's and the reconciled users'
    // passwords, the CA's own.
    const keys = [
      ...((secrets.admin || reconcileSecrets.length > 0) && props.secretsKmsKeyArn ? [props.secretsKmsKeyArn] : []),
      ...(secrets.ca && props.caSecretKmsKeyArn ? [props.caSecretKmsKeyArn] : []),
    ];
    if (secretArns.length > 0) {
      statements.push({ sid: 'ReadOwnBootSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: secretArns });
    }
    if (secretArns.length > 0 && keys.length > 0) {
      statements.push({
        sid: 'DecryptOwnBootSecretsOnly',
        actions: ['kms:Decrypt'],
        resources: keys,
        condition: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${spec.aws.region}.amazonaws.com`] },
          { test: 'StringLike', variable: 'kms:EncryptionContext:SecretARN', values: secretArns },
        ],
      });
    }
    if (runtime.certificateAuthority.kind === 'private-ca' && model.listeners.some((listener) => listener.tls)) {
      statements.push(
        {
          // Only the end-entity template: with any other (SubordinateCACertificate_PathLen0, ...) a node's role could
          // mint a CA under the cluster's Private CA and sign whatever identity it likes.
          sid: 'IssueEndEntityCertificateOnly',
          actions: ['acm-pca:IssueCertificate'],
          resources: [runtime.certificateAuthority.arn],
          condition: [{ test: 'StringEquals', variable: 'acm-pca:TemplateArn', values: [privateCaEndEntityTemplateArn(partition)] }],
        },
        { sid: 'GetIssuedCertificate', actions: ['acm-pca:GetCertificate'], resources: [runtime.certificateAuthority.arn] },
      );
    }
    if (kind === 'controller' && this.reconcileBundle) {
      // `aws s3 cp --recursive` lists the prefix, then reads each object.
      const bucket = this.reconcileBundle.bucketArn;
      statements.push(
        { sid: 'ListReconcileBundle', actions: ['s3:ListBucket'], resources: [bucket], condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${BUNDLE_PREFIX}*`] }] },
        { sid: 'ReadReconcileBundle', actions: ['s3:GetObject'], resources: [`${bucket}/${BUNDLE_PREFIX}*`] },
      );
    }
    if (nodeLogShipping(spec).enabled) {
      // Only this environment's node log group and its streams: the agent creates its streams and writes to them.
      const group = `arn:${partition}:logs:${spec.aws.region}:${account}:log-group:${vmLogGroupName(spec)}`;
      statements.push({
        sid: 'ShipNodeLogs',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [group, `${group}:log-stream:*`],
      });
    }
    if (runtime.artifactMirror) {
      statements.push({
        sid: 'ReadArtifactMirror',
        actions: ['s3:GetObject'],
        resources: [`arn:${partition}:s3:::${runtime.artifactMirror.bucket}/${runtime.artifactMirror.prefix}/*`],
      });
    }
    if (statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, `${kind}-policy`, { statement: statements });
      new IamRolePolicy(this, `${kind}-policy-attachment`, { role: role.id, name: `kafka-${kind}`, policy: policy.json });
    }
    return role;
  }
}
