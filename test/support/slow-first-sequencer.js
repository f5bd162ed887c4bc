// Runs the suites that wait on external validators (terraform, promtool) or synthesize everything first, so that on
// a cold CI machine (no timing cache yet) they overlap with the many quick suites instead of finishing last alone.
const Sequencer = require('@jest/test-sequencer').default;

const SLOW_FIRST = [
  'test/rehearse/environments.test.ts',
  'test/rehearse/planted-defect.test.ts',
  'test/review/predictions-vs-provider.test.ts',
  'test/package/consumer.test.ts',
  'test/terraform/validate.test.ts',
  'test/monitoring/promtool.test.ts',
  'test/synth/synthesize.test.ts',
  'test/bin/synth-cli.test.ts',
  'test/security/output-scan.test.ts',
  'test/review/mutations.test.ts',
  'test/property/invalid-specs.test.ts',
  'test/property/valid-specs-1.test.ts',
  'test/property/valid-specs-2.test.ts',
  'test/synth/fault-injection.test.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const index = SLOW_FIRST.findIndex((path) => test.path.endsWith(path));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    const sorted = super.sort(tests);
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
