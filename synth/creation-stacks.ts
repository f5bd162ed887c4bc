/**
 * cdktf records where each of its tokens was created: it formats a complete stack trace (every frame, the limit
 * lifted) for every token it makes. Measured on the shipped environments, that formatting is about 15 % of a synth's
 * CPU, and several times more under a test runner that source-maps every frame. The trace is read only by cdktf's
 * messages about its own internal errors ("Object creation stack: ...").
 *
 * While `build` runs, such captures (plain objects, not errors) format to nothing, so cdktf keeps an empty creation
 * stack; the stack of a real error is formatted as before (by the formatter installed before, else as Node does).
 * Output is unchanged: creation stacks never reach synthesized files (`stackTraces: false`).
 */
export function withoutCreationStacks<T>(build: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = creationStackFreeFormatter(previous);
  try {
    return build();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/**
 * The stack formatter `withoutCreationStacks` installs: a capture into a plain object formats to nothing, a real
 * error's stack as `previous` formats it (Node's own format when there is none). The test suite installs it for
 * every test file (test/support/no-creation-stacks.ts), where most files build cdktf stacks directly.
 */
export function creationStackFreeFormatter(previous: typeof Error.prepareStackTrace): NonNullable<typeof Error.prepareStackTrace> {
  return (error, trace) => {
    // A cross-realm error is an Error too: ask for its internal tag, not its prototype chain.
    if (Object.prototype.toString.call(error) !== '[object Error]') return '';
    return previous ? previous(error, trace) : nodeStack(error, trace);
  };
}

/** Node's own format: the error's `toString()`, then one `    at <frame>` line per call site. */
function nodeStack(error: Error, trace: readonly NodeJS.CallSite[]): string {
  let head: string;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = '<error>';
  }
  return trace.length === 0 ? head : `${head}\n    at ${trace.join('\n    at ')}`;
}
