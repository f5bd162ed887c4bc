/**
 * The layering the design promises, checked on the source: pure model code imports no CDK, only one module imports
 * cdktf itself (so the cdktn fork is a one-file switch), and provider resources are deep-imported.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const repo = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

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
