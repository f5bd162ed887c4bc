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
