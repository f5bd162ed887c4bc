import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { instanceArchitecture } from '../kafka/model/aws-layout';
import type { KafkaNodeGroupPlan } from '../kafka/model/placement';
import { Token } from './cdktf';
import { KafkaKmsKey } from './kafka-kms-key';
import { SessionManagerAccess } from './session-manager-access';

/** What {@link KafkaNodeGroups} needs: the EKS cluster, the planned groups and the subnets they go in. */
export interface KafkaNodeGroupsProps {
  /** Name prefix of the role, launch templates and key alias, e.g. `prod-kafka`. */
  readonly name: string;
  /** The existing EKS cluster the node groups join. */
  readonly clusterName: string;
  /** The node groups: from `kafkaNodeGroups(spec, nodes, sizing)`, one per zone and role. */
  readonly groups: readonly KafkaNodeGroupPlan[];
  /** Subnet of each zone the nodes run in, keyed by zone. */
  readonly subnetIds: Readonly<Record<string, string>>;
  /** Kubernetes minor version of the nodes, e.g. "1.33". @default - the cluster's version */
  readonly kubernetesVersion?: string;
  /** Size of each node's encrypted root volume (images, logs; Kafka data is on persistent volumes). @default 50 */
  readonly rootVolumeGiB?: number;
  /**
   * Tags for what the launch template starts (instances, their volumes and network interfaces): the provider's
   * default tags never reach `tag_specifications`, so the environment's tags are passed here. @default {}
   */
  readonly launchTags?: Readonly<Record<string, string>>;
}

/** AWS managed policies every EKS node needs; Session Manager comes from `SessionManagerAccess` (no parameter reads). */
const NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'];

/** What the launch template tags: EKS copies the node group's tags to none of these, and provider default tags miss them too. */
const TAGGED_AT_LAUNCH = ['instance', 'volume', 'network-interface'] as const;

/**
 * EKS managed node groups dedicated to Kafka, one per zone and role, labelled and tainted with the names in
 * `node-placement.ts` that the Kafka pods select and tolerate. Nodes use IMDSv2 with one hop (pods cannot take the
 * node's credentials) and an encrypted root volume; rolling updates replace one node at a time.
 */
export class KafkaNodeGroups extends Construct {
  /** IAM role every Kafka node assumes (EKS worker, CNI, ECR read-only and Session Manager policies). */
  readonly role: IamRole;
  /** One managed node group per zone and role, in the order of `groups`. */
  readonly nodeGroups: readonly EksNodeGroup[];
  /** Customer-managed KMS key encrypting the nodes' root volumes. */
  readonly rootVolumeKey: KafkaKmsKey;
  /** Session Manager for the nodes (shell access without SSH), with transcripts in an encrypted log group. */
  readonly sessionManager: SessionManagerAccess;

  constructor(scope: Construct, id: string, props: KafkaNodeGroupsProps) {
    super(scope, id);
    const missing = [...new Set(props.groups.map((group) => group.zone))].filter((zone) => !props.subnetIds[zone]);
    if (missing.length > 0) throw new Error(`KafkaNodeGroups ${id}: subnetIds has no subnet for zone(s) ${missing.join(', ')}`);

    this.rootVolumeKey = new KafkaKmsKey(this, 'root-volume-key', {
      description: `Encrypts the root volumes of the Kafka nodes of ${props.name}`,
      alias: `${props.name}/eks-nodes`,
      usableThrough: ['ec2'],
      // EC2 Auto Scaling launches the nodes and must be able to use the key, or the instances fail to start.
      serviceStatements: ({ accountId, partition }) => {
        const autoScaling = [`arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`];
        return [
          {
            sid: 'AutoScalingUsesKeyForNodeVolumes',
            principals: [{ type: 'AWS', identifiers: autoScaling }],
            actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            resources: ['*'],
          },
          {
            sid: 'AutoScalingGrantsKeyToEc2',
            principals: [{ type: 'AWS', identifiers: autoScaling }],
            actions: ['kms:CreateGrant'],
            resources: ['*'],
            condition: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
          },
        ];
      },
    });

    const assume = new DataAwsIamPolicyDocument(this, 'assume', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
    });
    this.role = new IamRole(this, 'role', { name: `${props.name}-eks-node`, description: `Kafka EKS nodes of ${props.name}`, assumeRolePolicy: assume.json });
    const attachments = NODE_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, `policy-${policy}`, { role: this.role.name, policyArn: `arn:${this.rootVolumeKey.partition}:iam::aws:policy/${policy}` }),
    );

    this.sessionManager = new SessionManagerAccess(this, 'session-manager', { name: props.name, roleNames: [this.role.name] });

    const templates = new Map<string, LaunchTemplate>();
    const templateFor = (role: string): LaunchTemplate => {
      if (!templates.has(role)) {
        templates.set(
          role,
          new LaunchTemplate(this, `launch-template-${role}`, {
            name: `${props.name}-${role}`,
            description: `Kafka ${role} nodes of ${props.name}: IMDSv2 only, encrypted root volume`,
            updateDefaultVersion: true,
            metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [
              {
                deviceName: '/dev/xvda',
                ebs: { volumeType: 'gp3', volumeSize: props.rootVolumeGiB ?? 50, encrypted: 'true', kmsKeyId: this.rootVolumeKey.keyArn, deleteOnTermination: 'true' },
              },
            ],
            tagSpecifications: TAGGED_AT_LAUNCH.map((resourceType) => ({
              resourceType,
              tags: { ...props.launchTags, Name: `${props.name}-${role}`, 'kafka/role': role },
            })),
          }),
        );
      }
      return templates.get(role)!;
    };

    this.nodeGroups = props.groups.map((group) => {
      const template = templateFor(group.role);
      return new EksNodeGroup(this, group.name, {
        clusterName: props.clusterName,
        // Carries the environment: two environments' groups in one EKS cluster never collide.
        nodeGroupName: `${props.name}-${group.role}-${group.zone}`,
        nodeRoleArn: this.role.arn,
        subnetIds: [props.subnetIds[group.zone]],
        instanceTypes: [group.instanceType],
        amiType: instanceArchitecture(group.instanceType) === 'arm64' ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
        capacityType: 'ON_DEMAND',
        ...(props.kubernetesVersion ? { version: props.kubernetesVersion } : {}),
        scalingConfig: { desiredSize: group.nodes, minSize: group.nodes, maxSize: group.maxNodes },
        // One node at a time: a Kafka pod moves only after the previous one is back (the PDB enforces it too).
        updateConfig: { maxUnavailable: 1 },
        labels: { ...group.labels },
        taint: [{ key: group.taint.key, value: group.taint.value, effect: 'NO_SCHEDULE' }],
        launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
        tags: { Name: group.name, 'kafka/role': group.role, 'kafka/rack': group.zone },
        // The node role's policies must exist before nodes try to join, and outlive them on deletion.
        dependsOn: [...attachments, ...this.sessionManager.attachments],
        // A renamed or otherwise replaced group starts its nodes before the old group drains.
        lifecycle: { createBeforeDestroy: true },
      });
    });
  }
}
