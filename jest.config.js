/** @type {import('jest').Config} */
module.exports = {
  // Third-party modules load once per worker, not once per test file (test/support/shared-modules-runtime.js).
  testEnvironment: '<rootDir>/test/support/shared-context-environment.js',
  runtime: '<rootDir>/test/support/shared-modules-runtime.js',
  // Code in jest's vm context finds every global through the context's interceptor and jest's global proxy, several
  // times slower than a plain global lookup; these builtins, among the most used, are handed to each module as
  // parameters instead (~8 % less CPU in the jest workers, measured A/B). A module that declares one of them itself at
  // its top level (readable-stream, under cdktf) is compiled with that parameter renamed (shared-modules-runtime.js).
  // Not Date or the timers (jest's fake timers replace them on the global), nor console (jest sets it per file).
  sandboxInjectedGlobals: ['Object', 'Array', 'JSON', 'Math', 'Reflect', 'Symbol', 'Promise', 'Error', 'TypeError', 'RangeError', 'String', 'Number', 'Boolean', 'Map', 'Set', 'WeakMap', 'WeakSet', 'RegExp', 'BigInt', 'ArrayBuffer', 'Uint8Array', 'Buffer', 'Proxy', 'parseInt', 'parseFloat', 'isNaN'],
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }], '^.+\\.(sh|py)$': '<rootDir>/test/support/text-transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json', 'sh', 'py'],
  // Terraform validation loads the 700 MB AWS provider; it gets its own generous timeout in the test itself.
  testTimeout: 30000,
  // One more worker than cores: the rehearsal suite's worker spends its whole run waiting on Terraform and moto
  // processes, so with two workers every other suite queued behind one worker (measured on a clean clone, 2 cores:
  // 640 s with 2 workers, 563 s with 3).
  maxWorkers: 3,
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  setupFilesAfterEnv: ['<rootDir>/test/support/no-creation-stacks.ts', '<rootDir>/test/support/remove-temp-dirs.ts'],
};
