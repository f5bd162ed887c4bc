/**
 * jest.config.js hands the most used builtins to every module as wrapper parameters (`sandboxInjectedGlobals`), and
 * shared-modules-runtime.js compiles a module that declares one of those names itself again with that parameter
 * renamed. A module sees the same builtins as the test (the worker's one vm context), a module's own declaration of
 * such a name wins, and a module's own SyntaxError still fails its require.
 */
import { resolve } from 'node:path';

const fixture = (name: string) => resolve(__dirname, 'fixtures', name);

it('hands each module the builtins of the context it runs in', () => {
  const { Symbol: symbol, Promise: promise, Map: map } = require(fixture('uses-builtins.js')) as Record<string, unknown>;
  expect([symbol, promise, map]).toEqual([Symbol, Promise, Map]);
  expect(symbol).toBe(globalThis.Symbol);
});

it('lets a module declare an injected name at its top level, and still injects the others', () => {
  const loaded = require(fixture('declares-symbol.js')) as Record<string, unknown>;
  expect(loaded).toEqual({ Symbol: 'own Symbol', Promise: 'own Promise', Math });
});

it('throws the SyntaxError of a module that declares its own name twice', () => {
  expect(() => require(fixture('declares-twice.js'))).toThrow(/Identifier 'twice' has already been declared/);
});
