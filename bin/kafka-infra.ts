#!/usr/bin/env node
/** `kafka-infra` (the package's `bin`; `npx kafka-infra --help`): see cli/main.ts. */
import { runCli } from '../cli/main';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
