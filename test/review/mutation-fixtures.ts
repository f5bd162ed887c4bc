import type { summary } from './support';

/**
 * The mutation fixtures of the review: a shipped environment with one change to its spec, and exactly what the
 * review must report about it (test/review/mutations.test.ts). The rehearsal (test/rehearse/environments.test.ts)
 * plans the same mutations against the applied shipped environments and compares the predicted Terraform actions
 * with the provider's, so the fixtures live here, once.
 */

export interface Mutation {
  readonly title: string;
  readonly environment: string;
  readonly change: (draft: any) => void;
  readonly expected: ReturnType<typeof summary>;
}

export const MUTATIONS: readonly Mutation[] = [
  {
    title: "one more broker per zone",
    environment: 'prod',
    change: (d) => { d.kafka.brokers.perZone += 1; },
    expected: {
      "status": "changed",
      "dangers": [],
      "notices": [],
      "terraform": {
        "prod-nodes update aws_eks_node_group": 3
      },
      "kubernetes": [
        "change ConfigMap kafka-config",
        "change ConfigMap kafka-roller",
        "change CronJob kafka-roller",
        "change PodMonitor kafka-broker",
        "change PrometheusRule kafka-alerts",
        "change StatefulSet kafka-broker-eu-west-1a",
        "change StatefulSet kafka-broker-eu-west-1b",
        "change StatefulSet kafka-broker-eu-west-1c"
      ],
      "nodes": [
        "kafka-broker-eu-west-1a-2: added",
        "kafka-broker-eu-west-1b-2: added",
        "kafka-broker-eu-west-1c-2: added"
      ],
      "roll": []
    },
  },
  {
    title: "one broker fewer per zone (flagged, validation allows it)",
    environment: 'prod',
    change: (d) => { d.kafka.brokers.perZone -= 1; },
    expected: {
      "status": "changed",
      "dangers": [
        "data-loss/broker-removed: broker(s) removed: kafka-broker-eu-west-1a-1 (node.id 101), kafka-broker-eu-west-1b-1 (node.id 201), kafka-broker-eu-west-1c-1 (node.id 301)"
      ],
      "notices": [],
      "terraform": {
        "prod-nodes update aws_eks_node_group": 3
      },
      "kubernetes": [
        "change ConfigMap kafka-config",
        "change ConfigMap kafka-roller",
        "change CronJob kafka-roller",
        "change PodMonitor kafka-broker",
        "change PrometheusRule kafka-alerts",
        "change StatefulSet kafka-broker-eu-west-1a",
        "change StatefulSet kafka-broker-eu-west-1b",
        "change StatefulSet kafka-broker-eu-west-1c"
      ],
      "nodes": [
        "kafka-broker-eu-west-1a-1: removed",
        "kafka-broker-eu-west-1b-1: removed",
        "kafka-broker-eu-west-1c-1: removed"
      ],
      "roll": []
    },
  },
  {
    title: "controller quorum 3 \u2192 5",
    environment: 'prod',
    change: (d) => { d.kafka.controllers.count = 5; },
    expected: {
      "status": "changed",
      "dangers": [
        "availability/quorum-changed: controller quorum changed from 3 to 5 voters"
      ],
      "notices": [],
      "terraform": {
        "prod-nodes update aws_eks_node_group": 2
      },
      "kubernetes": [
        "change ConfigMap kafka-config",
        "change ConfigMap kafka-roller",
        "change CronJob kafka-roller",
        "change PodMonitor kafka-controller",
        "change PrometheusRule kafka-alerts",
        "change StatefulSet kafka-broker-eu-west-1a",
        "change StatefulSet kafka-broker-eu-west-1b",
        "change StatefulSet kafka-broker-eu-west-1c",
        "change StatefulSet kafka-controller"
      ],
      "nodes": [
        "kafka-broker-eu-west-1a-0: changed [controller.quorum.voters] restart by roller",
        "kafka-broker-eu-west-1a-1: changed [controller.quorum.voters] restart by roller",
        "kafka-broker-eu-west-1b-0: changed [controller.quorum.voters] restart by roller",
        "kafka-broker-eu-west-1b-1: changed [controller.quorum.voters] restart by roller",
        "kafka-broker-eu-west-1c-0: changed [controller.quorum.voters] restart by roller",
        "kafka-broker-eu-west-1c-1: changed [controller.quorum.voters] restart by roller",
        "kafka-controller-0: changed [controller.quorum.voters] restart by roller",
        "kafka-controller-1: changed [controller.quorum.voters] restart by roller",
        "kafka-controller-2: changed [controller.quorum.voters] restart by roller",
        "kafka-controller-3: added",
        "kafka-controller-4: added"
      ],
      "roll": [
        "kafka-controller-0",
        "kafka-controller-1",
        "kafka-controller-2",
        "kafka-broker-eu-west-1a-0",
        "kafka-broker-eu-west-1a-1",
        "kafka-broker-eu-west-1b-0",
        "kafka-broker-eu-west-1b-1",
        "kafka-broker-eu-west-1c-0",
        "kafka-broker-eu-west-1c-1"
      ]
    },
  },
  {
    title: "a larger broker volume on Kubernetes",
    environment: 'prod',
    change: (d) => { d.kafka.brokers.storage.sizeGiB = 2000; },
    expected: {
      "status": "changed",
      "dangers": [
        "availability/immutable-statefulset-field: immutable StatefulSet field(s) changed: spec.volumeClaimTemplates"
      ],
      "notices": [],
      "terraform": {},
      "kubernetes": [
        "change StatefulSet kafka-broker-eu-west-1a",
        "change StatefulSet kafka-broker-eu-west-1b",
        "change StatefulSet kafka-broker-eu-west-1c"
      ],
      "nodes": [],
      "roll": []
    },
  },
  {
    title: "a smaller broker volume on Kubernetes",
    environment: 'prod',
    change: (d) => { d.kafka.brokers.storage.sizeGiB = 500; },
    expected: {
      "status": "changed",
      "dangers": [
        "availability/immutable-statefulset-field: immutable StatefulSet field(s) changed: spec.volumeClaimTemplates",
        "availability/volume-shrunk: volume claim data shrinks from 1000Gi to 500Gi"
      ],
      "notices": [],
      "terraform": {},
      "kubernetes": [
        "change StatefulSet kafka-broker-eu-west-1a",
        "change StatefulSet kafka-broker-eu-west-1b",
        "change StatefulSet kafka-broker-eu-west-1c"
      ],
      "nodes": [],
      "roll": []
    },
  },
  {
    title: "a larger broker volume on VMs",
    environment: 'staging',
    change: (d) => { d.kafka.brokers.storage.sizeGiB = 400; },
    expected: {
      "status": "changed",
      "dangers": [],
      "notices": [],
      "terraform": {
        "staging-kafka update aws_ebs_volume": 3
      },
      "kubernetes": [],
      "nodes": [],
      "roll": []
    },
  },
  {
    title: "a smaller broker volume on VMs",
    environment: 'staging',
    change: (d) => { d.kafka.brokers.storage.sizeGiB = 100; },
    expected: {
      "status": "changed",
      "dangers": [
        "availability/volume-shrunk: EBS volume shrinks from 200 to 100 GiB"
      ],
      "notices": [],
      "terraform": {
        "staging-kafka update aws_ebs_volume": 3
      },
      "kubernetes": [],
      "nodes": [],
      "roll": []
    },
  },
  {
    title: "a new client CIDR",
    environment: 'staging',
    change: (d) => { d.aws.clientCidrs = [...d.aws.clientCidrs, '10.22.0.0/16']; },
    expected: {
      "status": "changed",
      "dangers": [
        "security/security-group-opened: security group rule added: admits 10.22.0.0/16 port 9092"
      ],
      "notices": [],
      "terraform": {
        "staging-kafka create aws_vpc_security_group_ingress_rule": 1
      },
      "kubernetes": [],
      "nodes": [],
      "roll": []
    },
  },
  {
    title: "one broker config key changed (auto.create.topics.enable)",
    environment: 'dev',
    change: (d) => { d.kafka.autoCreateTopics = false; },
    expected: {
      "status": "changed",
      "dangers": [],
      "notices": [],
      "terraform": {},
      "kubernetes": [
        "change ConfigMap kafka-config",
        "change StatefulSet kafka-broker-eu-west-1a"
      ],
      "nodes": [
        "kafka-broker-eu-west-1a-0: changed [auto.create.topics.enable] restart by roller"
      ],
      "roll": [
        "kafka-broker-eu-west-1a-0"
      ]
    },
  },
  {
    title: "the VPC range changed",
    environment: 'staging',
    change: (d) => { d.aws.vpcCidr = '10.40.0.0/16'; },
    expected: {
      "status": "changed",
      "dangers": [
        "availability/network-replaced: the network is replaced: aws_vpc.network_vpc_4E8F0223 (replace: cidr_block), aws_subnet.network_private-eu-central-1a_29F48933 (replace: cidr_block), aws_subnet.network_private-eu-central-1b_50C40B77 (replace: cidr_block) and 4 more",
        "availability/parallel-restart: 3 brokers restart at once in 3 zones: kafka-broker-eu-central-1a-0 (node.id 100), kafka-broker-eu-central-1b-0 (node.id 200), kafka-broker-eu-central-1c-0 (node.id 300)",
        "availability/parallel-restart: 3 controllers restart at once: kafka-controller-0 (node.id 0), kafka-controller-1 (node.id 1), kafka-controller-2 (node.id 2)"
      ],
      "notices": [],
      "terraform": {
        "staging-kafka replace aws_instance": 6,
        "staging-kafka replace aws_security_group": 4,
        "staging-kafka replace aws_volume_attachment": 6,
        "staging-kafka replace aws_vpc_security_group_egress_rule": 12,
        "staging-kafka replace aws_vpc_security_group_ingress_rule": 13,
        "staging-kafka update aws_route53_record": 6,
        "staging-network replace aws_default_security_group": 1,
        "staging-network replace aws_flow_log": 1,
        "staging-network replace aws_nat_gateway": 3,
        "staging-network replace aws_route": 4,
        "staging-network replace aws_route_table": 4,
        "staging-network replace aws_route_table_association": 6,
        "staging-network replace aws_security_group": 1,
        "staging-network replace aws_subnet": 6,
        "staging-network replace aws_vpc": 1,
        "staging-network replace aws_vpc_endpoint": 8,
        "staging-network replace aws_vpc_security_group_ingress_rule": 1,
        "staging-network update aws_internet_gateway": 1
      },
      "kubernetes": [],
      "nodes": [
        "kafka-broker-eu-central-1a-0: unchanged restart by terraform-replace",
        "kafka-broker-eu-central-1b-0: unchanged restart by terraform-replace",
        "kafka-broker-eu-central-1c-0: unchanged restart by terraform-replace",
        "kafka-controller-0: unchanged restart by terraform-replace",
        "kafka-controller-1: unchanged restart by terraform-replace",
        "kafka-controller-2: unchanged restart by terraform-replace"
      ],
      "roll": [
        "kafka-controller-0",
        "kafka-controller-1",
        "kafka-controller-2",
        "kafka-broker-eu-central-1a-0",
        "kafka-broker-eu-central-1b-0",
        "kafka-broker-eu-central-1c-0"
      ]
    },
  },
  {
    title: "the Kafka version bumped",
    environment: 'prod',
    change: (d) => { d.kafka.version = '4.2.0'; },
    expected: {
      "status": "changed",
      "dangers": [],
      "notices": [],
      "terraform": {},
      "kubernetes": [
        "change ConfigMap kafka-config",
        "change CronJob kafka-reconcile",
        "change CronJob kafka-roller",
        "change StatefulSet kafka-broker-eu-west-1a",
        "change StatefulSet kafka-broker-eu-west-1b",
        "change StatefulSet kafka-broker-eu-west-1c",
        "change StatefulSet kafka-controller"
      ],
      "nodes": [
        "kafka-broker-eu-west-1a-0: unchanged restart by roller",
        "kafka-broker-eu-west-1a-1: unchanged restart by roller",
        "kafka-broker-eu-west-1b-0: unchanged restart by roller",
        "kafka-broker-eu-west-1b-1: unchanged restart by roller",
        "kafka-broker-eu-west-1c-0: unchanged restart by roller",
        "kafka-broker-eu-west-1c-1: unchanged restart by roller",
        "kafka-controller-0: unchanged restart by roller",
        "kafka-controller-1: unchanged restart by roller",
        "kafka-controller-2: unchanged restart by roller"
      ],
      "roll": [
        "kafka-controller-0",
        "kafka-controller-1",
        "kafka-controller-2",
        "kafka-broker-eu-west-1a-0",
        "kafka-broker-eu-west-1a-1",
        "kafka-broker-eu-west-1b-0",
        "kafka-broker-eu-west-1b-1",
        "kafka-broker-eu-west-1c-0",
        "kafka-broker-eu-west-1c-1"
      ]
    },
  },
  {
    title: "a tag changed on EKS: every node group rolls",
    environment: 'prod',
    change: (d) => { d.tags.team = 'streaming'; },
    expected: {
      "status": "changed",
      // The launch templates carry the tags in tag_specifications: a new version each, and every node group rolls.
      "dangers": [
        "availability/node-group-roll: 6 EKS node group(s) roll: every node is replaced and the Kafka pods on it restart (6 broker(s), 3 controller(s))"
      ],
      "notices": [],
      "terraform": {
        "prod-network update aws_cloudwatch_log_group": 1,
        "prod-network update aws_default_security_group": 1,
        "prod-network update aws_eip": 3,
        "prod-network update aws_flow_log": 1,
        "prod-network update aws_iam_role": 1,
        "prod-network update aws_iam_role_policy": 1,
        "prod-network update aws_internet_gateway": 1,
        "prod-network update aws_kms_key": 1,
        "prod-network update aws_nat_gateway": 3,
        "prod-network update aws_route_table": 4,
        "prod-network update aws_security_group": 1,
        "prod-network update aws_subnet": 6,
        "prod-network update aws_vpc": 1,
        "prod-network update aws_vpc_endpoint": 14,
        "prod-network update aws_vpc_security_group_ingress_rule": 1,
        "prod-nodes update aws_cloudwatch_log_group": 1,
        "prod-nodes update aws_eks_addon": 1,
        "prod-nodes update aws_eks_node_group": 6,
        "prod-nodes update aws_iam_policy": 1,
        "prod-nodes update aws_iam_role": 2,
        "prod-nodes update aws_kms_key": 3,
        "prod-nodes update aws_launch_template": 2,
        "prod-nodes update aws_ssm_document": 1,
        "prod-secrets update aws_iam_policy": 1,
        "prod-secrets update aws_kms_key": 1,
        "prod-secrets update aws_secretsmanager_secret": 3
      },
      "kubernetes": [],
      "nodes": [
        "kafka-broker-eu-west-1a-0: unchanged restart by node-group-roll",
        "kafka-broker-eu-west-1a-1: unchanged restart by node-group-roll",
        "kafka-broker-eu-west-1b-0: unchanged restart by node-group-roll",
        "kafka-broker-eu-west-1b-1: unchanged restart by node-group-roll",
        "kafka-broker-eu-west-1c-0: unchanged restart by node-group-roll",
        "kafka-broker-eu-west-1c-1: unchanged restart by node-group-roll",
        "kafka-controller-0: unchanged restart by node-group-roll",
        "kafka-controller-1: unchanged restart by node-group-roll",
        "kafka-controller-2: unchanged restart by node-group-roll"
      ],
      // EKS picks the order of a node group roll: no roll order is offered for it.
      "roll": []
    },
  },
  {
    title: "a tag changed on VMs (benign)",
    environment: 'staging',
    change: (d) => { d.tags.team = 'streaming'; },
    expected: {
      "status": "changed",
      "dangers": [],
      "notices": [],
      "terraform": {
        "staging-kafka update aws_cloudwatch_log_group": 2, // the session transcripts and the node logs
        "staging-kafka update aws_ebs_volume": 6,
        "staging-kafka update aws_iam_instance_profile": 2,
        "staging-kafka update aws_iam_policy": 1,
        "staging-kafka update aws_iam_role": 2,
        "staging-kafka update aws_iam_role_policy": 1,
        "staging-kafka update aws_instance": 6,
        "staging-kafka update aws_kms_key": 2,
        "staging-kafka update aws_route53_zone": 1,
        "staging-kafka update aws_s3_bucket": 1,
        "staging-kafka update aws_s3_bucket_policy": 1,
        "staging-kafka update aws_s3_object": 11,
        "staging-kafka update aws_security_group": 4,
        "staging-kafka update aws_ssm_document": 1,
        "staging-kafka update aws_vpc_security_group_egress_rule": 12,
        "staging-kafka update aws_vpc_security_group_ingress_rule": 13,
        "staging-network update aws_cloudwatch_log_group": 1,
        "staging-network update aws_default_security_group": 1,
        "staging-network update aws_eip": 3,
        "staging-network update aws_flow_log": 1,
        "staging-network update aws_iam_role": 1,
        "staging-network update aws_iam_role_policy": 1,
        "staging-network update aws_internet_gateway": 1,
        "staging-network update aws_kms_key": 1,
        "staging-network update aws_nat_gateway": 3,
        "staging-network update aws_route_table": 4,
        "staging-network update aws_security_group": 1,
        "staging-network update aws_subnet": 6,
        "staging-network update aws_vpc": 1,
        "staging-network update aws_vpc_endpoint": 8,
        "staging-network update aws_vpc_security_group_ingress_rule": 1,
        "staging-secrets update aws_iam_policy": 1,
        "staging-secrets update aws_kms_key": 1,
        "staging-secrets update aws_secretsmanager_secret": 3
      },
      "kubernetes": [],
      "nodes": [],
      "roll": []
    },
  },
];
