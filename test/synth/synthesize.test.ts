import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpecValidationError } from '../../constructs/kafka/validation/problems';
import { environments } from '../../environments';
import { UnknownEnvironmentError, synthesize } from '../../synth/synthesize';
import { aThreeZoneProdSpec, withChange } from '../fixtures/environments';
import { makeTempDir, readTree, removeTempDirs } from '../support/temp-dirs';

afterAll(removeTempDirs);

function synthesizedRoot(): string {
  const root = makeTempDir('synth-');
  synthesize({ rootDir: root, environments });
  return root;
}

// Two full synths shared by the whole file (each costs most of a second): `root` is never changed after this point
// except by runs that must leave it as it was; `second` is free to be overwritten.
const root = synthesizedRoot();
const tree = readTree(root);
const second = synthesizedRoot();

describe('npm run synth', () => {
  it('writes one Terraform stack folder per <env>-<part>, with cdktf\'s manifest', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      expect(tree.has(`cdktf.out/stacks/${env}-network/cdk.tf.json`)).toBe(true);
    }
    const manifest = JSON.parse(tree.get('cdktf.out/manifest.json')!);
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(['dev-network', 'staging-network', 'prod-network']));
  });

  it('writes the resolved config of every node under dist/<env>/kafka/', () => {
    const prodConfigs = [...tree.keys()].filter((path) => path.startsWith('dist/prod/kafka/'));
    expect(prodConfigs).toHaveLength(9);
    expect(tree.get('dist/prod/kafka/kafka-broker-eu-west-1c-1.properties')).toContain('node.id=301');
  });

  it('writes Kubernetes manifests only for Kubernetes environments', () => {
    expect(tree.has('dist/prod/kubernetes/kafka.yaml')).toBe(true);
    expect(tree.has('dist/dev/kubernetes/kafka.yaml')).toBe(true);
    expect([...tree.keys()].some((path) => path.startsWith('dist/staging/kubernetes/'))).toBe(false);
  });

  it('ships the very same config bytes to the pods as to dist/', () => {
    const manifest = tree.get('dist/prod/kubernetes/kafka.yaml')!;
    const config = tree.get('dist/prod/kafka/kafka-controller-0.properties')!;
    expect(manifest).toContain('kafka-controller-0.properties: |');
    for (const line of config.trim().split('\n')) expect(manifest).toContain(line);
  });

  it('leaves no staging folder behind', () => {
    expect(readdirSync(root).filter((name) => name.startsWith('.synth-staging-'))).toEqual([]);
  });

  it('is deterministic: a second run, elsewhere, produces byte-identical output', () => {
    expect(readTree(second)).toEqual(tree);
  });

  it('is deterministic in place: re-running over existing output changes nothing', () => {
    synthesize({ rootDir: root, environments });
    expect(readTree(root)).toEqual(tree);
  });
});

describe('synthesizing some environments', () => {
  it('replaces only the chosen environments and keeps the others and their manifest entries', () => {
    const reports = synthesize({ rootDir: second, environments, only: ['prod'] });
    expect(reports.map((report) => report.environment)).toEqual(['prod']);
    expect(readTree(second)).toEqual(tree);
  });

  it('rejects an unknown environment and writes nothing', () => {
    const root = makeTempDir('synth-');
    expect(() => synthesize({ rootDir: root, environments, only: ['qa'] })).toThrow(UnknownEnvironmentError);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('an invalid environment', () => {
  it('fails the whole run with every problem and leaves the previous output untouched', () => {
    const broken = withChange(aThreeZoneProdSpec(), (d) => {
      d.kafka.replicationFactor = 9;
      d.kafka.controllers.count = 2;
    });
    const others = environments.filter((spec) => spec.name !== 'prod');
    expect(() => synthesize({ rootDir: root, environments: [...others, broken] })).toThrow(SpecValidationError);
    expect(() => synthesize({ rootDir: root, environments: [...others, broken] })).toThrow(
      /prod: kafka\.controllers\.count = 2[\s\S]*prod: kafka\.replicationFactor = 9/,
    );
    expect(readTree(root)).toEqual(tree);
    expect(readdirSync(root).sort()).toEqual(['cdktf.out', 'dist']);
  });

  it('with --base, refuses topics whose partitions go down against the previous output, writing nothing', () => {
    const prod = environments.find((spec) => spec.name === 'prod')!;
    expect(tree.get('dist/prod/reconcile/topics.desired')).toContain('orders|24|3|present\n');
    const lowered = { ...prod, topics: { ...prod.topics, orders: { ...prod.topics!.orders, partitions: 12 } } };
    const others = environments.filter((spec) => spec.name !== 'prod');
    expect(() => synthesize({ rootDir: second, environments: [...others, lowered], baseDir: root })).toThrow(
      /prod: topics\.orders\.partitions = 12, is lower than the 24 partitions of topic orders in the previous output/,
    );
    // Raising them is fine; without a base nothing is compared.
    const raised = { ...prod, topics: { ...prod.topics, orders: { ...prod.topics!.orders, partitions: 48 } } };
    expect(() => synthesize({ rootDir: second, environments: [...others, raised], baseDir: root, only: ['prod'] })).not.toThrow();
    expect(readTree(root)).toEqual(tree);
  });

  it('on a first run writes nothing at all', () => {
    const root = makeTempDir('synth-');
    const broken = withChange(aThreeZoneProdSpec(), (d) => (d.kafka.clusterId = 'not-an-id'));
    expect(() => synthesize({ rootDir: root, environments: [broken] })).toThrow(SpecValidationError);
    expect(existsSync(join(root, 'dist'))).toBe(false);
    expect(existsSync(join(root, 'cdktf.out'))).toBe(false);
  });
});

describe('the S3 backend of every stack', () => {
  it.each(['dev-network', 'staging-network', 'prod-network'])('%s has its own encrypted, locked state key', (stack) => {
    const config = JSON.parse(readFileSync(join(root, 'cdktf.out/stacks', stack, 'cdk.tf.json'), 'utf8'));
    const env = stack.split('-')[0];
    expect(config.terraform.backend.s3).toEqual({
      bucket: 'acme-kafka-terraform-state',
      key: `${env}/${stack}.tfstate`,
      region: expect.any(String),
      encrypt: true,
      use_lockfile: true,
    });
  });
});
