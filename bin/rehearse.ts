/**
 * `npm run rehearse [-- --env <name>[,<name>...]] [--keep] [--via terraform|cdktf]`: deploys every environment's
 * stacks to a local AWS emulator (moto) and back: apply in dependency order, a second plan that must be empty, the
 * update round, the data protections, destroy and re-create. Prints progress per stack, then a table; exits 1 naming
 * the stack, the resource and the error when a step fails.
 */
import { environments } from '../environments';
import { runRehearseCli } from '../rehearse/cli';

runRehearseCli(process.argv.slice(2), environments).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exitCode = 1;
  },
);
