import { environments } from '../../environments';
import { aThreeZoneProdSpec, withChange } from '../fixtures/environments';
import { removeTempDirs } from '../support/temp-dirs';
import type { Review } from '../../review/report';
import { MUTATIONS } from './mutation-fixtures';
import { PREDICTION_HEADS, mutationsOf } from './provider-predictions';
import { review, summary, synthRoot, withShippedChange } from './support';

/**
 * Each fixture (./mutation-fixtures.ts) synthesizes a shipped environment with one change to its spec and reviews it
 * against the shipped output: the report must list exactly these changes and dangers, nothing more. The expectations
 * were written from what each change means (e.g. a new VPC range replaces the subnets, hence the instances in them),
 * then checked against the report.
 */


let base: string;
beforeAll(() => {
  base = synthRoot(environments);
});
afterAll(removeTempDirs);

/** Each mutation's review, kept for the check of the prediction heads below. */
const reviews = new Map<string, Review>();
/** Each mutation's synthesized head, kept for the tests below that look closer at the same change. */
const heads = new Map<string, string>();

/** The head of the mutation fixture `title`: the one synthesized above, or (when run alone) synthesized now. */
function headOf(title: string): string {
  const mutation = MUTATIONS.find((candidate) => candidate.title === title);
  if (!mutation) throw new Error(`no mutation fixture "${title}"`);
  if (!heads.has(title)) heads.set(title, synthRoot(withShippedChange(mutation.environment, mutation.change), [mutation.environment]));
  return heads.get(title)!;
}

describe.each(MUTATIONS)('$title ($environment)', ({ title, environment, expected }) => {
  test('the report lists exactly the expected changes and dangers', () => {
    reviews.set(title, review(base, headOf(title), [environment]));
    expect(summary(reviews.get(title)!, environment)).toEqual(expected);
  });
});

/** The two tag tests below review the heads of the tag fixtures: that they change the team tag and nothing else. */
const TAG_FIXTURES = { prod: 'a tag changed on EKS: every node group rolls', staging: 'a tag changed on VMs (benign)' } as const;
test('the tag fixtures change the team tag to streaming and nothing else', () => {
  for (const [environment, title] of Object.entries(TAG_FIXTURES)) {
    const mutation = MUTATIONS.find((candidate) => candidate.title === title)!;
    expect(mutation.environment).toBe(environment);
    const shipped = environments.find((spec) => spec.name === environment)!;
    expect(withShippedChange(environment, mutation.change).find((spec) => spec.name === environment)).toEqual({ ...shipped, tags: { ...shipped.tags, team: 'streaming' } });
  }
});

// The rehearsal plans the mutations in shared heads (./provider-predictions.ts): each mutation's effect stays
// visible only where the mutations of a head touch different resources.
test('mutations of one prediction head touch different resources, but for the two overlaps where both update in place', () => {
  const overlaps = Object.fromEntries(PREDICTION_HEADS.map((head) => {
    const touched = mutationsOf(head).map((mutation) => {
      const report = reviews.get(mutation.title);
      if (!report) throw new Error(`${mutation.title} was not reviewed above`);
      return new Map(report.environments[0].terraform.map((change) => [`${change.stack} ${change.type}.${change.address.split('.')[1]}`, change.action]));
    });
    const shared: Record<string, number> = {};
    touched.forEach((left, index) => touched.slice(index + 1).forEach((right) => {
      for (const [key, action] of left) {
        if (!right.has(key)) continue;
        const label = `${key.replace(/\.[^.]*$/, '')} ${action}/${right.get(key)}`;
        shared[label] = (shared[label] ?? 0) + 1;
      }
    }));
    return [head.label, shared];
  }));
  expect(overlaps).toEqual({
    'staging-network-volumes-cidr': {},
    'staging-tags-smaller-volumes': { 'staging-kafka aws_ebs_volume update/update': 3 },
    'prod-brokers-quorum': {},
    'prod-tags-fewer-brokers': { 'prod-nodes aws_eks_node_group update/update': 3 },
  });
});

test('a zone removed: its brokers are flagged as lost data, nothing else is called dangerous', () => {
  const fourZones = withChange(aThreeZoneProdSpec(), (draft) => {
    draft.name = 'fourzone';
    draft.aws.region = 'us-east-1';
    draft.aws.availabilityZones = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'];
    draft.aws.vpcCidr = '10.50.0.0/16';
  });
  const threeZones = withChange(fourZones, (draft) => {
    draft.aws.availabilityZones = draft.aws.availabilityZones.slice(0, 3);
  });
  expect(summary(review(synthRoot([fourZones]), synthRoot([threeZones])), 'fourzone')).toEqual({
      "status": "changed",
      "dangers": [
        "data-loss/zone-removed: zone us-east-1d is removed with its brokers kafka-broker-us-east-1d-0 (node.id 400), kafka-broker-us-east-1d-1 (node.id 401)"
      ],
      "notices": [],
      "terraform": {
        "fourzone-network delete aws_route_table": 1,
        "fourzone-network delete aws_route_table_association": 1,
        "fourzone-network delete aws_subnet": 1,
        "fourzone-network update aws_vpc_endpoint": 8
      },
      "kubernetes": [
        "change Certificate kafka-broker",
        "change ConfigMap kafka-config",
        "change ConfigMap kafka-roller",
        "change CronJob kafka-roller",
        "change PodMonitor kafka-broker",
        "change PrometheusRule kafka-alerts",
        "change Role kafka-roller",
        "remove Service kafka-broker-us-east-1d",
        "remove StatefulSet kafka-broker-us-east-1d",
        "change StatefulSet kafka-controller"
      ],
      "nodes": [
        "kafka-broker-us-east-1d-0: removed",
        "kafka-broker-us-east-1d-1: removed",
        "kafka-controller-0: unchanged restart by roller",
        "kafka-controller-1: unchanged restart by roller",
        "kafka-controller-2: unchanged restart by roller"
      ],
      "roll": [
        "kafka-controller-0",
        "kafka-controller-1",
        "kafka-controller-2"
      ]
    });
});

test('a tag change on EKS updates tags in place and replaces nothing, but rolls every node group through new launch template versions', () => {
  const report = review(base, headOf(TAG_FIXTURES.prod), ['prod']).environments[0];
  expect(report.terraform.every((change) => change.action === 'update')).toBe(true);
  // Tags, and IAM policies: their policy documents refer to resources with pending (tag) changes, so Terraform
  // reads them during apply and the policies are known only then (the provider's plan says the same). The EKS launch
  // templates tag what they launch, so their tag specifications change and the node groups move to the new version.
  const untagged = report.terraform.filter((change) => change.attributes.map((attribute) => attribute.path).join() !== 'tags_all');
  const nodeGroup = ['aws_eks_node_group', ['launch_template.version (known after apply)', 'tags_all']];
  const launchTemplate = ['aws_launch_template', ['tag_specifications[0].tags.team', 'tag_specifications[1].tags.team', 'tag_specifications[2].tags.team', 'tags_all']];
  expect(untagged.map((change) => [change.type, change.attributes.map((attribute) => `${attribute.path}${attribute.knownAfterApply ? ' (known after apply)' : ''}`)])).toEqual([
    ['aws_iam_role_policy', ['policy (known after apply)']],
    ...Array.from({ length: 6 }, () => nodeGroup),
    ['aws_iam_policy', ['policy (known after apply)', 'tags_all']],
    launchTemplate,
    launchTemplate,
    ['aws_iam_policy', ['policy (known after apply)', 'tags_all']],
  ]);
  // Six groups (a broker and a controller group per zone), max unavailable 1 each, all at once: nodes under brokers
  // in three zones and under every controller are drained together, so it is a danger, not a notice.
  expect(report.notices).toEqual([]);
  expect(report.dangers).toHaveLength(1);
  const [roll] = report.dangers;
  expect(roll.where).toContain('prod-kafka-broker-eu-west-1a (eu-west-1a, max unavailable 1)');
  expect(roll.where).toContain('prod-kafka-controller-eu-west-1c (eu-west-1c, max unavailable 1)');
  expect(roll.where).toContain('new launch template version (aws_launch_template.node-groups_launch-template-broker_354ED1DB: tag_specifications)');
  expect(roll.why).toMatch(/^nodes under brokers in 3 zones \(eu-west-1a, eu-west-1b, eu-west-1c\) are drained at the same time; up to 3 controller nodes are drained at the same time/);
  expect(roll.instead).toMatch(/terraform apply -target=<node group address>.*0 under-replicated partitions.*for a tag change alone/);
});

test('a tag change on VMs updates the tags of the instances in place: no danger, no notice, no restart', () => {
  const report = review(base, headOf(TAG_FIXTURES.staging), ['staging']).environments[0];
  expect([report.dangers, report.notices]).toEqual([[], []]);
  const instances = report.terraform.filter((change) => change.type === 'aws_instance');
  expect(instances).toHaveLength(6);
  for (const instance of instances) expect([instance.action, instance.attributes.map((attribute) => attribute.path)]).toEqual(['update', ['tags_all']]);
  expect(report.kafka.nodes.filter((node) => node.restart)).toEqual([]);
});
