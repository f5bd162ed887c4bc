// jest's node environment, but every test file of a worker runs in the worker's one vm context, so that the
// modules shared-modules-runtime.js keeps loaded across files (third-party and product code) live in the same realm as
// each file's own code: `instanceof Error`, `Array`, `Object` and every class keep holding between them, as in a plain Node process.
//
// What a test file leaves on the global object stays for the worker's next file: jest's per-file global clean-up is
// off for the shared context (it would also clear what the shared modules keep there, such as cdktf's token map).
// The suite sets no globals of its own and edits neither process.env nor the working directory; jest's own globals
// (describe, expect, jest, console) are installed afresh for every file, and each file still gets its own mocker
// and fake timers.
const { TestEnvironment } = require('jest-environment-node');
const { LegacyFakeTimers, ModernFakeTimers } = require('@jest/fake-timers');
const { ModuleMocker } = require('jest-mock');

/**
 * What jest-circus keeps for one test file on the global object, by symbol description: its event handlers, its state
 * (the file's whole tree of describe blocks, tests and hooks) and expect's matcher state. jest gives each file a fresh
 * global, so they never outlive their file; in the shared context they would pile up, every later file dispatching
 * each event to the handlers of all earlier ones (including their runtimes') and keeping their test trees alive.
 */
const PER_FILE_GLOBALS = new Set(['EVENT_HANDLERS', 'JEST_STATE_SYMBOL', '$$jest-matchers-object']);

/** The worker's context and its global object, made by the first environment of the worker. */
let shared;

class SharedContextEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    if (!shared) {
      shared = { context: this.context, global: this.global };
      return;
    }
    // The context jest just made for this file is dropped unused; the file's mocker and timers bind to the shared one.
    this._globalProxy.clear();
    this.context = shared.context;
    this.global = shared.global;
    this.moduleMocker = new ModuleMocker(this.global);
    this.fakeTimers = new LegacyFakeTimers({
      config: config.projectConfig,
      global: this.global,
      moduleMocker: this.moduleMocker,
      timerConfig: { idToRef: (id) => ({ id, ref() { return this; }, unref() { return this; } }), refToId: (timer) => timer?.id },
    });
    this.fakeTimersModern = new ModernFakeTimers({ config: config.projectConfig, global: this.global });
  }

  async teardown() {
    for (const key of Object.getOwnPropertySymbols(this.global)) if (PER_FILE_GLOBALS.has(key.description)) delete this.global[key];
    this.fakeTimers?.dispose();
    this.fakeTimersModern?.dispose();
    this.fakeTimers = null;
    this.fakeTimersModern = null;
    this.context = null;
  }
}

module.exports = SharedContextEnvironment;
