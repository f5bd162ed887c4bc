import { getPriority, setPriority } from 'node:os';
import { emulatorProcessesOnPort, emulatorUnavailableReason, type Emulator, processRunning } from '../../rehearse/emulator';
import { terraformUnavailableReason } from '../support/terraform';

/** Why a rehearsal cannot run here (moto, terraform or the provider mirror missing), or undefined. */
export function rehearsalUnavailableReason(): string | undefined {
  return emulatorUnavailableReason() ?? terraformUnavailableReason();
}

/** Rehearsals wait on Terraform and the emulator; on a loaded machine far longer than a unit test. */
export const REHEARSAL_TIMEOUT_MS = 45 * 60 * 1000;

/** Stops the emulator and asserts that its process, and any moto_server on its port, is gone. */
export async function expectEmulatorStopped(emulator: Emulator): Promise<void> {
  await emulator.stop();
  expect(processRunning(emulator.pid)).toBe(false);
  expect(emulatorProcessesOnPort(emulator.port)).toEqual([]);
}

/**
 * Runs `work` with this worker's main thread at `niceness` (negative: a higher CPU priority), and with it every process
 * the thread starts meanwhile (Linux gives a child the niceness of the thread that starts it): the emulator,
 * Terraform and the provider. Where raising the priority is not permitted (not root), `work` runs as it is. Back to
 * the thread's own niceness afterwards, failed or not.
 *
 * Why: the rehearsal is the suite's longest chain (~200 s alone, most of it the provider's waiters sleeping), and on
 * two cores busy with the other suites every step of it waited for a core: 250 s of a 259 s run. With priority it
 * takes a core when it has work (217 s of a 264 s run), and the other suites use the rest; the suite's CPU is the same.
 */
export async function withPriority<T>(niceness: number, work: () => Promise<T>): Promise<T> {
  const own = getPriority();
  let raised = false;
  try {
    setPriority(niceness);
    raised = true;
  } catch {
    // EACCES: only root may raise a priority.
  }
  try {
    return await work();
  } finally {
    if (raised) setPriority(own);
  }
}
