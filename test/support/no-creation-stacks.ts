/**
 * Jest setup for every test file: cdktf's per-token creation stacks format to nothing (synth/creation-stacks.ts).
 * Most suites build cdktf stacks directly, outside `synthesize`, and under jest every frame of those stacks is
 * source-mapped: measured on test/aws/iam-hardening.test.ts, 8.0 s of CPU with them, 6.1 s without. Real errors,
 * failed expectations included, keep their stacks as jest formats them.
 */
import { creationStackFreeFormatter } from '../../synth/creation-stacks';

Error.prepareStackTrace = creationStackFreeFormatter(Error.prepareStackTrace);
