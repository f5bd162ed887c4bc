/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }], '^.+\\.sh$': '<rootDir>/test/support/text-transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json', 'sh'],
  // Terraform validation loads the 700 MB AWS provider; it gets its own generous timeout in the test itself.
  testTimeout: 30000,
  // Jest's default on 2 cores is one worker; the suite spends much of its time waiting on terraform and promtool.
  maxWorkers: 2,
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
};
