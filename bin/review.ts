/**
 * `npm run review -- <base-dir> <head-dir> [--out <dir>] [--fail-on danger] [--plan <stack>=<file>]`: a Kafka-aware
 * change report between two synth outputs. See review/cli.ts for the options and exit codes.
 */
import { runReviewCli } from '../review/cli';

runReviewCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
