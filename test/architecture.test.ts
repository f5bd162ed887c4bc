/**
 * The layering the design promises, checked on the source: the floor plan of the pure model (which folder may import
 * which, no import cycles anywhere), pure model code imports no CDK, only one module imports cdktf itself, and
 * provider resources are deep-imported.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FLOOR_PLAN, floorPlanViolations, importCycles, importGraph, importSpecifiers as importsOfText, sourceFiles, type ImportGraph } from './support/import-graph';

const repo = join(__dirname, '..');
const importsOf = (file: string): string[] => importsOfText(readFileSync(file, 'utf8'));

const roots = ['bin', 'synth', 'constructs', 'stacks', 'charts', 'environments', 'examples'];
const files = roots.flatMap((root) => sourceFiles(join(repo, root)));
const rel = (file: string) => relative(repo, file);

it('keeps constructs/kafka free of cdktf, cdk8s and provider imports', () => {
  const offenders = files
    .filter((file) => rel(file).startsWith('constructs/kafka/'))
    .flatMap((file) => importsOf(file).filter((spec) => /^(cdktf|cdk8s|cdk8s-plus-\d+|@cdktf\/|constructs$)/.test(spec)).map((spec) => `${rel(file)} imports ${spec}`));
  expect(offenders).toEqual([]);
});

it('imports cdktf itself only in constructs/aws/cdktf.ts', () => {
  const offenders = files
    .filter((file) => rel(file) !== 'constructs/aws/cdktf.ts')
    .flatMap((file) => importsOf(file).filter((spec) => spec === 'cdktf' || spec.startsWith('cdktf/')).map((spec) => `${rel(file)} imports ${spec}`));
  expect(offenders).toEqual([]);
});

it('imports AWS provider resources by deep path only', () => {
  const offenders = files.flatMap((file) =>
    importsOf(file)
      .filter((spec) => spec === '@cdktf/provider-aws' || spec === '@cdktf/provider-aws/lib')
      .map((spec) => `${rel(file)} imports ${spec}`),
  );
  expect(offenders).toEqual([]);
});

it('keeps Kubernetes code out of the AWS constructs and AWS code out of the Kubernetes constructs', () => {
  const offenders = files.flatMap((file) => {
    const path = rel(file);
    return importsOf(file)
      .filter((spec) => (path.startsWith('constructs/aws/') && /^cdk8s/.test(spec)) || (path.startsWith('constructs/k8s/') && /(^cdktf|^@cdktf\/)/.test(spec)))
      .map((spec) => `${path} imports ${spec}`);
  });
  expect(offenders).toEqual([]);
});

it('pins every dependency to an exact version', () => {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const ranges = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([, version]) => !/^\d+\.\d+\.\d+$/.test(String(version)));
  expect(ranges).toEqual([]);
});

describe('the floor plan of constructs/kafka', () => {
  const graph = importGraph(repo, roots);

  it('puts every module of the pure model in a folder of the floor plan', () => {
    const loose = [...graph.keys()].filter((path) => /^constructs\/kafka\/[^/]+\.ts$/.test(path) && path !== 'constructs/kafka/index.ts');
    expect(loose).toEqual([]);
    const folders = new Set([...graph.keys()].filter((path) => path.startsWith('constructs/kafka/') && path.split('/').length > 3).map((path) => path.split('/')[2]));
    expect([...folders].sort()).toEqual(Object.keys(FLOOR_PLAN).sort());
  });

  it('lets each folder import only the folders below it', () => {
    expect(floorPlanViolations(graph)).toEqual([]);
  });

  it('has no import cycle in any source folder', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('catches a planted upward import', () => {
    const planted: ImportGraph = new Map(graph);
    planted.set('constructs/kafka/spec/aws.ts', [...(graph.get('constructs/kafka/spec/aws.ts') ?? []), 'constructs/kafka/model/topology.ts']);
    planted.set('constructs/kafka/config/server-properties.ts', [...(graph.get('constructs/kafka/config/server-properties.ts') ?? []), 'constructs/kafka/vm/bootstrap.ts']);
    expect(floorPlanViolations(planted)).toEqual([
      'constructs/kafka/config/server-properties.ts (config/) imports constructs/kafka/vm/bootstrap.ts (vm): config/ may import only spec, model',
      'constructs/kafka/spec/aws.ts (spec/) imports constructs/kafka/model/topology.ts (model): spec/ may import only nothing of the model',
    ]);
  });

  it('catches a planted cycle and names its modules', () => {
    const planted: ImportGraph = new Map(graph);
    // cluster-id.ts is imported by the cluster invariants only, so the planted import closes exactly one small cycle.
    planted.set('constructs/kafka/spec/cluster-id.ts', [...(graph.get('constructs/kafka/spec/cluster-id.ts') ?? []), 'constructs/kafka/validation/cluster-invariants.ts']);
    expect(importCycles(planted)).toEqual([['constructs/kafka/spec/cluster-id.ts', 'constructs/kafka/validation/cluster-invariants.ts']]);
  });

  it('catches an import of the pure model reaching outside it', () => {
    const planted: ImportGraph = new Map([['constructs/kafka/model/topology.ts', ['constructs/k8s/labels.ts']]]);
    expect(floorPlanViolations(planted)).toEqual(['constructs/kafka/model/topology.ts imports constructs/k8s/labels.ts, outside the pure model']);
  });
});
