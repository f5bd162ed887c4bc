/**
 * The suite's jest workers run all their test files in one vm context (shared-context-environment.js). Each file must
 * still start from jest-circus state of its own, as in a fresh context: one state object (its tree of tests) and one
 * handler of each kind, not those of every file the worker ran before it. This file runs somewhere in the middle of a
 * worker's files (quick files run after the slow ones), where a leak would show.
 */
const handlers = (globalThis as Record<symbol, unknown>)[Symbol.for('EVENT_HANDLERS')] as ((...args: unknown[]) => unknown)[];

it('holds the jest-circus state of this file only', () => {
  const states = Object.getOwnPropertySymbols(globalThis).filter((key) => key.description === 'JEST_STATE_SYMBOL');
  expect(states).toHaveLength(1);
});

it('dispatches each test event to one handler of each kind', () => {
  const kinds = handlers.map((handler) => handler.toString());
  expect(kinds.length).toBeGreaterThan(0);
  expect(new Set(kinds).size).toBe(kinds.length);
});
