import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { Construct } from 'constructs';
import { TerraformOutput } from '../constructs/aws/cdktf';
import { ExternalSecretsRole } from '../constructs/aws/external-secrets-role';
import { KafkaKmsKey } from '../constructs/aws/kafka-kms-key';
import { KafkaNodeGroups } from '../constructs/aws/kafka-node-groups';
import type { ClusterModel } from '../constructs/kafka/model/cluster-model';
import { persistentVolumeKeyAlias } from '../constructs/kafka/model/names';
import { kafkaNodeGroups } from '../constructs/kafka/model/placement';
import { externalSecretsServiceAccountName } from '../constructs/kafka/security/users';
import { EnvironmentStack, environmentTags } from './environment-stack';
import type { NetworkStack } from './network-stack';
import type { SecretsStack } from './secrets-stack';


/**
 * `<env>-nodes` (runtime `kubernetes` with `aws.eks`): EKS managed node groups dedicated to Kafka, per zone and role,
 * in the subnets the spec names or else in the Kafka subnets of `<env>-network`; the environment's key for the
 * Kafka persistent volumes; optionally the External Secrets IRSA role and NetworkPolicy enforcement in the VPC CNI.
 */
export class NodesStack extends EnvironmentStack {
  /** The EKS managed node groups dedicated to Kafka, one per zone and role. */
  readonly nodeGroups: KafkaNodeGroups;
  /** Customer-managed KMS key the Kafka persistent volumes (EBS, through the storage class) are encrypted with. */
  readonly persistentVolumeKey: KafkaKmsKey;

  constructor(scope: Construct, model: ClusterModel, network?: NetworkStack, secrets?: SecretsStack) {
    super(scope, model.spec, 'nodes');
    const { spec } = model;
    const eks = spec.aws.eks;
    if (!eks) throw new Error(`NodesStack: environment ${spec.name} names no aws.eks cluster`);
    let subnetIds = eks.subnetIds;
    if (!subnetIds) {
      if (!network) throw new Error(`NodesStack: environment ${spec.name} needs aws.eks.subnetIds or the network stack`);
      this.addDependency(network);
      subnetIds = Object.fromEntries(network.network.zoneSubnets.map((zone) => [zone.zone, zone.subnet.id]));
    }
    const name = `${spec.name}-${spec.kafka.clusterName}`;
    this.nodeGroups = new KafkaNodeGroups(this, 'node-groups', {
      name,
      clusterName: eks.clusterName,
      groups: kafkaNodeGroups(spec, model.nodes, model.sizing),
      subnetIds,
      launchTags: environmentTags(spec),
      ...(eks.kubernetesVersion ? { kubernetesVersion: eks.kubernetesVersion } : {}),
    });
    // The EBS CSI driver creates the volumes through EC2; its role needs kms:CreateGrant and GenerateDataKey* on it.
    this.persistentVolumeKey = new KafkaKmsKey(this, 'persistent-volume-key', {
      description: `Encrypts the Kafka persistent volumes of ${name}`,
      alias: persistentVolumeKeyAlias(spec),
      usableThrough: ['ec2'],
    });

    const { externalSecrets } = spec.security;
    if (externalSecrets.createRole && externalSecrets.serviceAccountRoleArn && spec.runtime.kind === 'kubernetes') {
      if (!secrets) throw new Error(`NodesStack: environment ${spec.name} creates the External Secrets role but has no secrets stack`);
      this.addDependency(secrets);
      const role = new ExternalSecretsRole(this, 'external-secrets-role', {
        roleArn: externalSecrets.serviceAccountRoleArn,
        clusterName: eks.clusterName,
        namespace: spec.runtime.namespace,
        serviceAccountName: externalSecretsServiceAccountName(spec),
        readPolicyArn: secrets.secrets.readPolicyArn,
      });
      new TerraformOutput(this, 'external_secrets_role_arn', { value: role.role.arn, description: 'IRSA role of the External Secrets SecretStore' });
    }
    if (eks.enforceNetworkPolicies) {
      new EksAddon(this, 'vpc-cni', {
        clusterName: eks.clusterName,
        addonName: 'vpc-cni',
        // The network policy agent in aws-node enforces NetworkPolicies; without it they are accepted and ignored.
        configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
        // Take over an add-on the cluster already runs, keep its settings on updates made outside Terraform.
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'PRESERVE',
        // Never uninstall the cluster's CNI when this stack is destroyed.
        preserve: true,
      });
    }

    new TerraformOutput(this, 'node_group_names', {
      value: this.nodeGroups.nodeGroups.map((group) => group.nodeGroupName),
      description: 'EKS node groups dedicated to Kafka',
    });
    new TerraformOutput(this, 'node_role_arn', { value: this.nodeGroups.role.arn, description: 'IAM role of the Kafka nodes' });
    new TerraformOutput(this, 'session_document_name', {
      value: this.nodeGroups.sessionManager.documentName,
      description: 'Session document that logs to the encrypted transcript group: aws ssm start-session --target <instance> --document-name <this>',
    });
    new TerraformOutput(this, 'persistent_volume_key_arn', { value: this.persistentVolumeKey.keyArn, description: 'KMS key of the Kafka persistent volumes' });
    new TerraformOutput(this, 'persistent_volume_key_alias_arn', {
      value: `arn:${this.persistentVolumeKey.partition}:kms:${this.persistentVolumeKey.region}:${this.persistentVolumeKey.accountId}:alias/${persistentVolumeKeyAlias(spec)}`,
      description: 'The key production StorageClasses encrypt the Kafka volumes with (by its alias)',
    });
  }
}
