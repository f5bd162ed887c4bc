import { kafkaImage } from '../../constructs/kafka/kubernetes/deployment-plan';
import { KAFKA_DEDICATED_TAINT_KEY, KAFKA_NODE_CLUSTER_LABEL, KAFKA_NODE_ROLE_LABEL, kafkaNodeGroups, kafkaPodPlacement } from '../../constructs/kafka/model/placement';
import { validateEnvironment } from '../../constructs/kafka/validation/validate';
import { aSingleZoneDevSpec, aThreeZoneProdSpec, withChange } from '../fixtures/environments';
import { removeTempDirs } from '../support/temp-dirs';
import { objectsOfKind, synthesizeKafka } from '../k8s/manifests';
import { modelOf, refersTo, resourcesOf, synthEnvironment } from './support';

afterAll(removeTempDirs);

const prodWithEks = withChange(aThreeZoneProdSpec(), (draft) => {
  draft.aws.eks = { clusterName: 'platform' };
});

describe('Kafka node placement (the contract with the Kubernetes manifests)', () => {
  it('plans one node group per zone and role, one node per Kafka pod, sized by the sizing logic', () => {
    const model = modelOf(prodWithEks);
    const plans = kafkaNodeGroups(model.spec, model.nodes, model.sizing);
    expect(plans.map((plan) => [plan.name, plan.instanceType, plan.nodes, plan.maxNodes])).toEqual([
      ['kafka-controller-eu-west-1a', 'm6i.large', 1, 2],
      ['kafka-controller-eu-west-1b', 'm6i.large', 1, 2],
      ['kafka-controller-eu-west-1c', 'm6i.large', 1, 2],
      ['kafka-broker-eu-west-1a', 'r6i.2xlarge', 2, 3],
      ['kafka-broker-eu-west-1b', 'r6i.2xlarge', 2, 3],
      ['kafka-broker-eu-west-1c', 'r6i.2xlarge', 2, 3],
    ]);
  });

  it('labels and taints the nodes with exactly what the pods select and tolerate', () => {
    const spec = validateEnvironment(prodWithEks);
    const model = modelOf(prodWithEks);
    for (const plan of kafkaNodeGroups(spec, model.nodes, model.sizing)) {
      const placement = kafkaPodPlacement(spec, plan.role)!;
      expect(placement.nodeSelector).toEqual(plan.labels);
      expect(plan.labels).toEqual({ [KAFKA_NODE_CLUSTER_LABEL]: 'kafka', [KAFKA_NODE_ROLE_LABEL]: plan.role });
      expect(placement.tolerations).toEqual([{ key: KAFKA_DEDICATED_TAINT_KEY, operator: 'Equal', value: 'kafka', effect: 'NoSchedule' }]);
      expect(plan.taint).toEqual({ key: KAFKA_DEDICATED_TAINT_KEY, value: 'kafka', effect: 'NoSchedule' });
    }
  });

  it('places pods anywhere when the spec manages no nodes (no aws.eks)', () => {
    expect(kafkaPodPlacement(validateEnvironment(aThreeZoneProdSpec()), 'broker')).toBeUndefined();
  });

  it('picks the cheapest fitting instance type when the size gives only cpu and memory', () => {
    const dev = withChange(aSingleZoneDevSpec(), (draft) => {
      draft.aws.eks = { clusterName: 'shared' };
    });
    const model = modelOf(dev);
    // a 1 vCPU / 2 GiB broker plus 0.5 vCPU / 1.5 GiB system reserve fits a t3.medium (2 vCPU, 4 GiB)
    expect(kafkaNodeGroups(model.spec, model.nodes, model.sizing).map((plan) => [plan.role, plan.instanceType])).toEqual([
      ['controller', 't3.medium'],
      ['broker', 't3.medium'],
    ]);
  });
});

describe('KafkaNodeGroups in <env>-nodes', () => {
  const nodes = synthEnvironment(prodWithEks).get('prod-nodes')!.json;
  const groups = resourcesOf(nodes, 'aws_eks_node_group');
  const templates = resourcesOf(nodes, 'aws_launch_template');
  const [key] = resourcesOf(nodes, 'aws_kms_key');

  it('joins the named cluster with one group per zone and role, tainted NO_SCHEDULE, one node updated at a time', () => {
    expect(groups).toHaveLength(6);
    for (const group of groups) {
      expect(group.cluster_name).toBe('platform');
      expect(group.subnet_ids).toHaveLength(1);
      expect(group.taint).toEqual([{ key: KAFKA_DEDICATED_TAINT_KEY, value: 'kafka', effect: 'NO_SCHEDULE' }]);
      expect(group.update_config).toEqual({ max_unavailable: 1 });
      expect(group.scaling_config.min_size).toBe(group.scaling_config.desired_size);
    }
  });

  it('launches nodes with IMDSv2 and a root volume encrypted with a rotating key usable by Auto Scaling', () => {
    expect(key.enable_key_rotation).toBe(true);
    for (const template of templates) {
      expect(template.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
      const [device] = template.block_device_mappings;
      expect(device.ebs.encrypted).toBe('true');
      expect(refersTo(device.ebs.kms_key_id, 'aws_kms_key', key, 'arn')).toBe(true);
    }
    const keyPolicy = Object.values(nodes.data!.aws_iam_policy_document).find((document) =>
      document.statement.some((statement: any) => statement.sid === 'AutoScalingUsesKeyForNodeVolumes'),
    );
    expect(keyPolicy).toBeDefined();
  });
});

describe('the network of a Kubernetes environment', () => {
  const endpointsOf = (spec: Parameters<typeof synthEnvironment>[0]) =>
    resourcesOf(synthEnvironment(spec).get('prod-network')!.json, 'aws_vpc_endpoint')
      .map((endpoint) => endpoint.service_name.replace('com.amazonaws.eu-west-1.', ''))
      .sort();

  it('gets the endpoints EKS nodes need to join and pull images without internet, when the nodes run in it', () => {
    expect(endpointsOf(prodWithEks)).toEqual(expect.arrayContaining(['ec2', 'ecr.api', 'ecr.dkr', 'eks', 'eks-auth', 's3', 'sts']));
    const elsewhere = withChange(prodWithEks, (draft) => {
      draft.aws.eks.subnetIds = { 'eu-west-1a': 'subnet-0123456789abcdef0', 'eu-west-1b': 'subnet-0123456789abcdef1', 'eu-west-1c': 'subnet-0123456789abcdef2' };
    });
    expect(endpointsOf(elsewhere)).not.toContain('ecr.dkr');
  });

  it('gets NAT egress by default when the EKS nodes run in it: Kafka pods pull public images and the exporter jar', () => {
    const natGatewaysOf = (spec: Parameters<typeof synthEnvironment>[0]) =>
      resourcesOf(synthEnvironment(spec).get('prod-network')!.json, 'aws_nat_gateway').length;
    // The images are not in ECR: with the VPC endpoints alone every Kafka pod would stay in ImagePullBackOff.
    expect(kafkaImage(modelOf(prodWithEks).spec)).toBe('apache/kafka:4.1.1');
    expect(natGatewaysOf(prodWithEks)).toBe(3);
    // An explicit 'none' (every image mirrored in ECR) is kept, and so is no egress for nodes in another VPC.
    expect(natGatewaysOf(withChange(prodWithEks, (draft) => { draft.aws.egress = 'none'; }))).toBe(0);
    const elsewhere = withChange(prodWithEks, (draft) => {
      draft.aws.eks.subnetIds = { 'eu-west-1a': 'subnet-0123456789abcdef0', 'eu-west-1b': 'subnet-0123456789abcdef1', 'eu-west-1c': 'subnet-0123456789abcdef2' };
    });
    expect(natGatewaysOf(elsewhere)).toBe(0);
  });
});

describe('<env>-nodes names, tags and keys', () => {
  const spec = withChange(prodWithEks, (draft) => {
    draft.tags = { team: 'platform', 'cost-center': 'eng-123' };
  });
  const nodes = synthEnvironment(spec).get('prod-nodes')!.json;

  it('names every node group after its environment, and starts a replacement before draining the old one', () => {
    const groups = resourcesOf(nodes, 'aws_eks_node_group');
    expect(groups.map((group) => group.node_group_name).sort()).toEqual(
      ['controller', 'broker'].flatMap((role) => ['a', 'b', 'c'].map((zone) => `prod-kafka-${role}-eu-west-1${zone}`)).sort(),
    );
    for (const group of groups) expect(group.lifecycle).toEqual({ create_before_destroy: true });
  });

  it('tags instances, their volumes and their network interfaces with the environment\'s tags (default tags never reach them)', () => {
    for (const template of resourcesOf(nodes, 'aws_launch_template')) {
      const specifications = template.tag_specifications as { resource_type: string; tags: Record<string, string> }[];
      expect(specifications.map((specification) => specification.resource_type).sort()).toEqual(['instance', 'network-interface', 'volume']);
      for (const specification of specifications) {
        expect(specification.tags).toMatchObject({ team: 'platform', 'cost-center': 'eng-123', 'kafka/environment': 'prod', 'kafka/cluster': 'kafka', 'managed-by': 'kafka-typed-infra' });
      }
    }
  });

  it('creates the key the production StorageClasses name by alias, usable only through EC2', () => {
    const key = resourcesOf(nodes, 'aws_kms_key').find((candidate) => candidate.description.includes('persistent volumes'))!;
    const alias = resourcesOf(nodes, 'aws_kms_alias').find((candidate) => refersTo(candidate.target_key_id, 'aws_kms_key', key, 'key_id'))!;
    expect(alias.name).toBe('alias/prod-kafka/persistent-volumes');
    const { objects } = synthesizeKafka(spec);
    for (const storageClass of objectsOfKind(objects, 'StorageClass')) expect(storageClass.parameters.kmsKeyId).toBe(alias.name);
    // Outside production, or with a key named in the spec, the spec decides.
    const staging = synthesizeKafka(withChange(spec, (draft) => (draft.tier = 'staging'))).objects;
    for (const storageClass of objectsOfKind(staging, 'StorageClass')) expect(storageClass.parameters.kmsKeyId).toBeUndefined();
  });
});

describe('NetworkPolicy enforcement', () => {
  it('is turned on in the cluster\'s VPC CNI only when the spec asks, and never uninstalls the CNI', () => {
    expect(resourcesOf(synthEnvironment(prodWithEks).get('prod-nodes')!.json, 'aws_eks_addon')).toEqual([]);
    const enforcing = withChange(prodWithEks, (draft) => {
      draft.aws.eks.enforceNetworkPolicies = true;
    });
    const [addon] = resourcesOf(synthEnvironment(enforcing).get('prod-nodes')!.json, 'aws_eks_addon');
    expect(addon).toMatchObject({ cluster_name: 'platform', addon_name: 'vpc-cni', preserve: true, resolve_conflicts_on_create: 'OVERWRITE' });
    expect(JSON.parse(addon.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });
});
