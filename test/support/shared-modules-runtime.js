// jest's module runtime, except that modules are loaded once per worker instead of once per test file: third-party
// packages (node_modules) and the project's own product code (constructs/, stacks/, synth/, ...; not test/). jest gives
// every test file a fresh module registry, so each file compiled and ran cdktf, the AWS provider bindings,
// cdk8s(-plus), zod, yaml and our constructs again and, more costly still, ran their code cold. Measured on the 45
// files of test/{aws,security,k8s,operations,stacks,monitoring}: 87 s of CPU in the test files, 53 s with third-party
// modules shared; the whole suite without the rehearsal, consumer, validate and promtool, interleaved A/B: 220-229 s
// of CPU with third-party modules shared, 213-226 s with the project's too.
//
// Test code (test/) still loads fresh for each file. A test file that mocks a module (`jest.mock` and the like) gets
// the project's modules fresh too, so that they see its mocks. No test file may mock a third-party package (none
// does): a shared module would keep the mock. The product code keeps no mutable module-level state (its caches are
// WeakMaps keyed by immutable models), and the tests copy the shipped environment specs before changing them. jest's
// own packages are loaded by jest itself, outside this registry.
// The shared modules live in the worker's one vm context (shared-context-environment.js).
const { AsyncLocalStorage } = require('node:async_hooks');
const { readFileSync } = require('node:fs');
const { relative, sep } = require('node:path');
const Runtime = require('jest-runtime').default;

// jest-circus makes an AsyncLocalStorage for each test file and never disables it, and Node copies every enabled
// storage's value onto every promise and async resource made afterwards: a worker's later files paid for all its
// earlier ones on every promise (async_hooks' _propagate was a top entry of the suite's CPU profile). The storages a
// test file started are disabled when its runtime is torn down: 45 files of test/{aws,security,stacks,kafka} in band,
// 58.8 -> 55.4 s of CPU.
const storages = new Set();
const run = AsyncLocalStorage.prototype.run;
AsyncLocalStorage.prototype.run = function (...args) {
  storages.add(this);
  return run.apply(this, args);
};

/** Third-party modules, by path (jest's own are not among them). */
const THIRD_PARTY = /\/node_modules\/(?!(?:@jest|jest|jest-[^/]+|expect|pretty-format|source-map-support)\/)/;
/** The modules kept across the worker's test files once loaded, by path. */
const shared = new Map();

/** The project's product code, by its top-level folder or file: shared the same way, except with files that mock. */
const PRODUCT = new Set(['constructs', 'stacks', 'charts', 'environments', 'synth', 'review', 'rehearse', 'cli', 'bin', 'examples', 'index.ts']);
const MOCKS = /\bjest\.(?:mock|doMock|setMock|unstable_mockModule)\(/;

/**
 * jest hands each `sandboxInjectedGlobals` builtin (jest.config.js) to every module as a parameter of its wrapper
 * function, which makes a module that declares the same name with const, let or class at its top level a SyntaxError
 * (readable-stream, under cdktf: `const { Symbol, Promise, ... } = primordials`). Such a module is compiled again with
 * that parameter renamed: the argument is still passed, in the same position, and the module's own declaration wins.
 * Any other SyntaxError is the module's own and is thrown as it is.
 */
function allowInjectedGlobalsToBeRedeclared(executor, injected) {
  const compile = executor.compile;
  executor.compile = function (source, filename) {
    const parameters = this.injectedModuleParameters;
    try {
      for (;;) {
        try {
          return compile.call(this, source, filename);
        } catch (error) {
          const name = /Identifier '([\w$]+)' has already been declared/.exec(String(error?.message))?.[1];
          if (!name || !injected.includes(name) || !this.injectedModuleParameters.includes(name)) throw error;
          this.injectedModuleParameters = this.injectedModuleParameters.map((parameter) => (parameter === name ? `$$injected$${name}` : parameter));
        }
      }
    } finally {
      this.injectedModuleParameters = parameters;
    }
  };
}

/** The runtime of the test file the worker runs now. */
let current;

class SharedModulesRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    current = this;
    this.sharesProduct = !MOCKS.test(readFileSync(this._testPath, 'utf8'));
    const registry = this.registries.moduleRegistry;
    for (const [path, module] of shared) if (this.shares(path)) registry.set(path, module);
    allowInjectedGlobalsToBeRedeclared(this.executor, this._config.sandboxInjectedGlobals);
  }

  /** Whether this test file uses (and hands on) the worker's loaded copy of the module at `path`. */
  shares(path) {
    return THIRD_PARTY.test(path) || (this.sharesProduct && PRODUCT.has(relative(this._config.rootDir, path).split(sep)[0]));
  }

  // A shared module's `require` belongs to the runtime of the file that first loaded it. A lazy require() inside it,
  // run by a later file, goes to the runtime of the file running now instead of to the torn-down one.
  requireModuleOrMock(from, moduleName) {
    if (this !== current && this.testState.isTornDown()) return current.requireModuleOrMock(from, moduleName);
    return super.requireModuleOrMock(from, moduleName);
  }

  teardown() {
    for (const [path, module] of this.registries.moduleRegistry) if (module.loaded && this.shares(path)) shared.set(path, module);
    super.teardown();
    for (const storage of storages) storage.disable();
    storages.clear();
  }
}

module.exports = SharedModulesRuntime;
