/**
 * The package as another team gets it: `npm pack` (which builds lib/ through `prepack`), the tarball's file list,
 * then two fresh projects that install the tarball with their own pinned cdktf, cdk8s, cdk8s-plus-27 and constructs —
 * one on the constructs version we develop with, one on the oldest our peer range allows — and compile a stack and a
 * chart of their own (test/package/consumer-project/) under the strictest settings, run them and validate the output
 * like our own: `terraform validate` and the Kubernetes schemas. The first project also runs the installed
 * `kafka-infra` through npx: `init` a new environment, then `synth` it.
 *
 * Cost, measured on 2 idle cores: the pack (a full type-check and emit) ~10 s, the `npm install` of the tarball ~10 s,
 * the strict type-check ~5 s, `terraform validate` ~13 s. To stay well inside the test budget:
 * - the first project starts with the peers it pins (cdktf, the AWS provider, cdk8s, cdk8s-plus-27, constructs,
 *   @types/node) hard-linked from the repository's node_modules when the repository has exactly that version
 *   installed, as a team that already has its cdktf and cdk8s adds our package: npm keeps them and installs our
 *   tarball, its dependencies and the peers' own dependencies from the npm cache (registry as fallback). Hard links
 *   make a directory tree of the project's own (Node resolves nothing across projects), so a second copy of cdktf or
 *   constructs would show up here exactly as it would for a user; without the repository's copy npm installs it.
 * - the oldest-constructs project starts from a hard-linked copy of the first project's node_modules and lets npm swap
 *   constructs itself, is type-checked with `skipLibCheck` (our declarations are the same bytes, checked in the first
 *   project), and must synthesize byte-identical Terraform and manifests.
 * - the strict type-check (`skipLibCheck: false`) checks the consumer's sources, our declarations and TypeScript's
 *   library, not every third-party declaration file in reach (test/package/consumer-type-check.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { schemaErrors } from '../k8s/kubernetes-schema';
import type { K8sObject } from '../k8s/manifests';
import { terraformUnavailableReason, validateTerraformStacks } from '../support/terraform';
import { makeTempDir, readTree, removeTempDirs } from '../support/temp-dirs';
import { describeWithValidator } from '../support/validators';
import { typeCheckConsumer } from './consumer-type-check';

const repo = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** The oldest constructs release the peer range allows (`^10.4.2`: cdktf 0.21 and @cdktf/provider-aws need it). */
const OLDEST_CONSTRUCTS = manifest.peerDependencies.constructs?.replace(/^\^/, '') ?? '';

interface PackedFile {
  readonly path: string;
  readonly size: number;
}
interface PackReport {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly PackedFile[];
}

/** npm's own environment variables (set when jest runs under `npm test`) would leak into the nested npm calls. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

function run(command: string, args: readonly string[], cwd: string): Promise<{ status: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...cleanEnv(), CHECKPOINT_DISABLE: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => done({ status, output }));
  });
}

async function must(command: string, args: readonly string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.output.slice(-4000)}`);
  return result.output;
}

// Every step is real work (npm, tsc, node, terraform) on a machine shared with other suites: bound it generously.
jest.setTimeout(300_000);

const timings: string[] = [];
const suiteStarted = performance.now();
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  timings.push(`${label} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

let work: string;
let pack: PackReport;
const projects: Record<'current' | 'oldest', string> = { current: '', oldest: '' };

/** What a consumer project installs besides our tarball: the versions we develop with. */
function consumerPins(constructs: string): Record<string, string> {
  const pinned = (name: string) => manifest.devDependencies[name] ?? '';
  return {
    '@cdktf/provider-aws': pinned('@cdktf/provider-aws'),
    cdktf: pinned('cdktf'),
    cdk8s: pinned('cdk8s'),
    'cdk8s-plus-27': pinned('cdk8s-plus-27'),
    constructs,
    '@types/node': pinned('@types/node'),
  };
}

function writeConsumer(dir: string, tarball: string, constructs: string): void {
  mkdirSync(dir, { recursive: true });
  cpSync(join(__dirname, 'consumer-project'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `consumer-${constructs.replace(/\W/g, '-')}`,
      private: true,
      dependencies: { [manifest.name]: `file:${tarball}`, ...consumerPins(constructs) },
    }),
  );
}

/**
 * Hard-links into the project's node_modules each pinned package the repository has installed at exactly the pinned
 * version (see the header); returns those linked. A package whose link fails (another file system) is left to npm.
 */
async function linkInstalledPins(project: string, pins: Record<string, string>): Promise<string[]> {
  const linked: string[] = [];
  for (const [name, version] of Object.entries(pins)) {
    const installed = join(repo, 'node_modules', name);
    const metadata = join(installed, 'package.json');
    if (!existsSync(metadata) || (JSON.parse(readFileSync(metadata, 'utf8')) as { version?: string }).version !== version) continue;
    const target = join(project, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    if ((await run('cp', ['-al', installed, target], project)).status === 0) linked.push(name);
    else rmSync(target, { recursive: true, force: true });
  }
  return linked;
}

beforeAll(async () => {
  const started = performance.now();
  work = makeTempDir('consumer-');
  const packed = await timed('npm pack (builds lib/)', () => must('npm', ['pack', '--json', '--pack-destination', work], repo));
  pack = (JSON.parse(packed.slice(packed.indexOf('[\n'))) as PackReport[])[0] as PackReport;
  const tarball = join(work, pack.filename);
  projects.current = join(work, 'current');
  projects.oldest = join(work, 'oldest');
  writeConsumer(projects.current, tarball, manifest.devDependencies.constructs ?? '');
  writeConsumer(projects.oldest, tarball, OLDEST_CONSTRUCTS);
  const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
  const linked = await linkInstalledPins(projects.current, consumerPins(manifest.devDependencies.constructs ?? ''));
  timings.push(`peers hard-linked from the repository: ${linked.join(' ') || 'none'}`);
  await timed('npm install', () => must('npm', install, projects.current));
  // Independent of each other (init writes only environments/ of the first project): run at once.
  await Promise.all([
    timed(`npm install constructs@${OLDEST_CONSTRUCTS} over a hard-linked copy`, async () => {
      await must('cp', ['-al', join(projects.current, 'node_modules'), join(projects.oldest, 'node_modules')], work);
      await must('npm', install, projects.oldest);
    }),
    timed('kafka-infra init', () =>
      must('npx', ['--no', '--', 'kafka-infra', 'init', 'qa', '--tier', 'staging', '--region', 'eu-west-1', '--state-bucket', 'payments-terraform-state'], projects.current),
    ),
  ]);
  timings.push(`setup total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // ~35 s on an idle 2-core machine; the bound is for a machine busy with other work, not a budget.
}, 600_000);

afterAll(() => {
  if (pack) {
    console.log(
      `${pack.filename}: ${(pack.size / 1024).toFixed(0)} kB packed, ${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked, ` +
        `${pack.entryCount} files; ${timings.join(', ')}; whole suite ${((performance.now() - suiteStarted) / 1000).toFixed(1)} s`,
    );
  }
  removeTempDirs();
});

describe('the tarball', () => {
  const forbidden = [
    /(^|\/)test\//,
    /(^|\/)__tests__\//,
    /\.test\.[jt]s$/,
    /(^|\/)fixtures?\//,
    /^dist\//,
    /^cdktf\.out\//,
    /^\.build\//,
    /^\.synth-staging-/,
    /^environments\//,
    /^examples\//,
    /(^|\/)node_modules\//,
    /\.tsbuildinfo$/,
    /^docs\/api\//,
  ];

  it('holds no test, fixture, example environment or synth output', () => {
    const offending = pack.files.map((file) => file.path).filter((path) => forbidden.some((pattern) => pattern.test(path)));
    expect(offending).toEqual([]);
  });

  it('holds every entry point of `exports` and `bin`, with declarations and declaration maps', () => {
    const paths = new Set(pack.files.map((file) => file.path));
    const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.default]));
    const expected = [...targets, ...Object.values(manifest.bin)].map((path) => path.replace(/^\.\//, ''));
    expect(expected.filter((path) => !paths.has(path))).toEqual([]);
    const declarations = [...paths].filter((path) => path.startsWith('lib/') && path.endsWith('.d.ts') && !/\.(sh|py)\.d\.ts$/.test(path));
    expect(declarations.length).toBeGreaterThan(50);
    expect(declarations.filter((path) => !paths.has(`${path}.map`))).toEqual([]);
    // Declaration maps point at the sources, which ship beside lib/ so "go to definition" lands in real code.
    expect(declarations.map((path) => path.replace(/^lib\//, '').replace(/\.d\.ts$/, '.ts')).filter((source) => !paths.has(source))).toEqual([]);
  });

  it('turns every shell script and Python file of the sources into a text module', () => {
    const paths = new Set(pack.files.map((file) => file.path));
    const scripts = [...paths].filter((path) => !path.startsWith('lib/') && /\.(sh|py)$/.test(path));
    expect(scripts).toContain('rehearse/moto-sitecustomize.py');
    expect(scripts.filter((script) => !paths.has(`lib/${script}.js`))).toEqual([]);
    // A raw .sh or .py inside lib/ would be what require('./x.sh') loads, as JavaScript.
    expect([...paths].filter((path) => path.startsWith('lib/') && /\.(sh|py)$/.test(path))).toEqual([]);
  });

  it('stays small', () => {
    expect(pack.size).toBeLessThan(2 * 1024 * 1024);
  });
});

/** `node_modules/<our package>/lib/.../index.d.ts` of each entry point test/package/consumer-project imports. */
function importedEntryDeclarations(): string[] {
  const sources = readdirSync(join(__dirname, 'consumer-project/src')).map((file) => readFileSync(join(__dirname, 'consumer-project/src', file), 'utf8'));
  const imported = new Set(sources.flatMap((text) => [...text.matchAll(new RegExp(`from '${manifest.name}(/[\\w-]+)?'`, 'g'))].map((match) => `.${match[1] ?? ''}`)));
  const declarations = [...imported].map((subpath) => manifest.exports[subpath]).flatMap((target) => (target && typeof target !== 'string' ? [target.types] : []));
  expect(declarations.length).toBe(imported.size);
  return declarations.map((types) => join('node_modules', manifest.name, types));
}

function node(project: string, script: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [join(project, script), ...args], { encoding: 'utf8', cwd: project });
  if (result.status !== 0) throw new Error(`node ${script} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

/**
 * The narrowed type-check (test/package/consumer-type-check.ts) on a small project of its own: an error in the
 * project's sources or in our installed package's declarations is reported, one in another package's declarations is
 * not, and the sources are emitted even so (as tsc does without noEmitOnError).
 */
describe('the consumer type-check on planted errors', () => {
  function plantedProject(files: Record<string, string>): string {
    const dir = makeTempDir('consumer-type-check-');
    const tsconfig = { compilerOptions: { strict: true, module: 'commonjs', lib: ['ES2022'], types: [], skipLibCheck: false, outDir: 'out' }, include: ['src'] };
    for (const [path, text] of Object.entries({ 'tsconfig.json': JSON.stringify(tsconfig), ...files })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  const packages = {
    'node_modules/ours/package.json': '{"name":"ours","types":"index.d.ts"}',
    'node_modules/theirs/package.json': '{"name":"theirs","types":"index.d.ts"}',
    'node_modules/theirs/index.d.ts': 'export declare const size: number;\nexport declare const broken: Missing;\n',
  };

  it('reports errors in the sources and our declarations, not in third-party declarations, and emits', () => {
    const dir = plantedProject({
      ...packages,
      'node_modules/ours/index.d.ts': "import { size } from 'theirs';\nexport declare const total: typeof size;\nexport declare const wrong: NotAType;\n",
      'src/app.ts': "import { total } from 'ours';\nexport const doubled: string = total * 2;\n",
    });
    const result = typeCheckConsumer(dir, 'ours');
    expect(result.diagnostics).toEqual([
      expect.stringMatching(/^node_modules\/ours\/index\.d\.ts\(3,29\): error TS2304: Cannot find name 'NotAType'\.$/),
      expect.stringMatching(/^src\/app\.ts\(2,14\): error TS2322: Type 'number' is not assignable to type 'string'\.$/),
    ]);
    expect(result.checked).toEqual(expect.arrayContaining(['node_modules/ours/index.d.ts', 'src/app.ts']));
    expect(result.checked).not.toContain('node_modules/theirs/index.d.ts');
    expect(result.loaded).toBe(1);
    expect(existsSync(join(dir, 'out/app.js'))).toBe(true);
  });

  it('honours overrides of the project\'s settings: skipLibCheck leaves our declarations unchecked', () => {
    const dir = plantedProject({
      ...packages,
      'node_modules/ours/index.d.ts': 'export declare const wrong: NotAType;\n',
      'src/app.ts': "import { wrong } from 'ours';\nexport const copy = wrong;\n",
    });
    expect(typeCheckConsumer(dir, 'ours').diagnostics).toHaveLength(1);
    expect(typeCheckConsumer(dir, 'ours', { skipLibCheck: true }).diagnostics).toEqual([]);
  });
});

describe('the installed package', () => {
  it('requires no package it does not declare: every require() in lib/ names a dependency, a peer or a Node builtin', () => {
    const installed = join(projects.current, 'node_modules', manifest.name);
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const required = new Map<string, string>();
    for (const [file, text] of readTree(join(installed, 'lib'))) {
      if (!file.endsWith('.js')) continue;
      for (const [, specifier] of text.matchAll(/\brequire\(["']([^"'./][^"']*)["']\)/g)) {
        if (isBuiltin(specifier)) continue;
        const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
        if (!required.has(name)) required.set(name, file);
      }
    }
    // The scan sees the package's imports (else it could not fail) ...
    expect([...required.keys()]).toEqual(expect.arrayContaining(['cdktf', '@cdktf/provider-aws', 'cdk8s-plus-27', 'zod', 'yaml']));
    // ... and each one is declared, also where the consumer below never runs the module that requires it.
    expect([...required].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (lib/${file})`)).toEqual([]);
  });
});

describe.each(['current', 'oldest'] as const)('a consumer on its own constructs (%s)', (which) => {
  const project = () => projects[which];

  it('installs one copy of cdktf, cdk8s and constructs, shared with our package', () => {
    const constructs = JSON.parse(readFileSync(join(project(), 'node_modules/constructs/package.json'), 'utf8')) as { version: string };
    expect(constructs.version).toBe(which === 'oldest' ? OLDEST_CONSTRUCTS : manifest.devDependencies.constructs);
    const nested = join(project(), 'node_modules', manifest.name, 'node_modules');
    const copies = existsSync(nested) ? readdirSync(nested).filter((name) => ['cdktf', 'cdk8s', 'cdk8s-plus-27', 'constructs', '@cdktf'].includes(name)) : [];
    expect(copies).toEqual([]);
  });

  it('compiles its stack and chart with strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes and nodenext', () => {
    const { diagnostics, checked } = typeCheckConsumer(project(), manifest.name, which === 'current' ? {} : { skipLibCheck: true });
    expect(diagnostics).toEqual([]);
    // The declarations of every entry point the consumer imports are among the files checked, not only loaded.
    expect(importedEntryDeclarations().filter((file) => !checked.includes(file))).toEqual([]);
    expect(existsSync(join(project(), 'out/src/stack.js'))).toBe(true);
  });

  it('runs its chart: our charts and its own in one app, every object valid against its schema', () => {
    const file = join(project(), 'objects.json');
    node(project(), 'out/src/chart.js', file);
    const objects = JSON.parse(readFileSync(file, 'utf8')) as K8sObject[];
    expect(objects.filter((object) => object.kind === 'StatefulSet').length).toBeGreaterThanOrEqual(4);
    expect(objects.find((object) => object.kind === 'ConfigMap' && object.metadata?.name === 'payments-kafka-client')).toBeDefined();
    if (which === 'current') expect(objects.flatMap((object) => schemaErrors(object))).toEqual([]);
    else expect(objects).toEqual(JSON.parse(readFileSync(join(projects.current, 'objects.json'), 'utf8')));
  });

  it('runs its stack: its own stack with our constructs and our environment stacks in one app', () => {
    const stacks = node(project(), 'out/src/stack.js', join(project(), 'tf')).trim().split(' ');
    expect(stacks).toEqual(['payments-own', 'payments-network', 'payments-secrets', 'payments-kafka']);
    for (const stack of stacks) {
      const terraform = readFileSync(join(project(), 'tf/stacks', stack, 'cdk.tf.json'), 'utf8');
      // The local backend's state path is the only place the project's own folder shows.
      const current = readFileSync(join(projects.current, 'tf/stacks', stack, 'cdk.tf.json'), 'utf8').split(projects.current).join('<project>');
      if (which === 'oldest') expect(terraform.split(projects.oldest).join('<project>')).toBe(current);
    }
  });
});

describe('kafka-infra from the installed package (npx)', () => {
  it('answers --help with exit 0 and an unknown command with exit 2', async () => {
    // The bin link npx runs (init and synth below go through npx itself, as the README shows them).
    const bin = join(projects.current, 'node_modules', '.bin', 'kafka-infra');
    const [help, unknown] = await Promise.all([run(bin, ['--help'], projects.current), run(bin, ['deploy'], projects.current)]);
    expect(help.status).toBe(0);
    expect(help.output).toMatch(/^ {2}init <env> /m);
    expect(unknown.status).toBe(2);
    expect(unknown.output).toContain('kafka-infra: unknown command deploy');
    expect(unknown.output).not.toMatch(/\n\s+at /);
  });

  it('init started environments/qa.ts against the package, and synth builds it from the project', async () => {
    const env = readFileSync(join(projects.current, 'environments/qa.ts'), 'utf8');
    expect(env).toContain(`import type { EnvironmentSpec } from '${manifest.name}';`);
    const result = await run('npx', ['--no', '--', 'kafka-infra', 'synth'], projects.current);
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/^qa \(kubernetes\): 2 stack\(s\) \[qa-network, qa-secrets\], \d+ file\(s\) in dist\/qa\/, \d+ ms$/m);
    expect(existsSync(join(projects.current, 'dist/qa/kubernetes/kafka.yaml'))).toBe(true);
    expect(existsSync(join(projects.current, 'cdktf.out/stacks/qa-network/cdk.tf.json'))).toBe(true);
  });

  it('loads from an ES module too (named exports of the CommonJS build)', async () => {
    const result = await run(
      process.execPath,
      ['--input-type=module', '-e', `import { validateEnvironment } from '${manifest.name}'; import { KafkaChart } from '${manifest.name}/charts'; console.log(typeof validateEnvironment, typeof KafkaChart);`],
      projects.current,
    );
    expect(result.output.trim()).toBe('function function');
  });
});

describeWithValidator('terraform validate of the consumers\' stacks', terraformUnavailableReason(), () => {
  it('passes for the consumer\'s stacks and those of the environment kafka-infra init wrote', async () => {
    const stacksDir = join(work, 'all-stacks');
    for (const [prefix, dir] of [
      ['consumer', join(projects.current, 'tf/stacks')],
      ['init', join(projects.current, 'cdktf.out/stacks')],
    ] as const) {
      for (const stack of readdirSync(dir)) cpSync(join(dir, stack), join(stacksDir, `${prefix}-${stack}`), { recursive: true });
    }
    const diagnostics = await validateTerraformStacks(stacksDir);
    expect(diagnostics.size).toBe(6);
    const errors = [...diagnostics].flatMap(([stack, found]) => found.filter((d) => d.severity === 'error').map((d) => `${stack}: ${d.summary} ${d.detail ?? ''}`));
    expect(errors).toEqual([]);
  }, 120_000);
});
