import { withoutCreationStacks } from '../../synth/creation-stacks';

/** cdktf's way of recording where a token was made (see cdktf/lib/tokens/private/stack-trace.js). */
function capture(): string {
  const object = { stack: '' };
  Error.captureStackTrace(object);
  return object.stack;
}

describe('withoutCreationStacks', () => {
  // Every test file runs with the suite-wide formatter (test/support/no-creation-stacks.ts): start from Node's own.
  const suiteFormatter = Error.prepareStackTrace;
  beforeAll(() => {
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  });
  afterAll(() => {
    Error.prepareStackTrace = suiteFormatter;
  });

  it('formats captures into plain objects to nothing while it runs, and as before afterwards', () => {
    expect(capture()).toContain('capture');
    expect(withoutCreationStacks(capture)).toBe('');
    expect(capture()).toContain('capture');
  });

  it('keeps the stack of a real error, with its message and frames', () => {
    const stack = withoutCreationStacks(() => new RangeError('out of range').stack);
    expect(stack).toMatch(/^RangeError: out of range\n\s+at /);
  });

  it('puts the previous formatter back when the build throws', () => {
    const before = Error.prepareStackTrace;
    expect(() => withoutCreationStacks(() => {
      throw new Error('build failed');
    })).toThrow('build failed');
    expect(Error.prepareStackTrace).toBe(before);
  });
});
