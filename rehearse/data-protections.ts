/**
 * What protects an environment's data from a mistaken destroy, read from its synthesized configuration: resources
 * Terraform refuses to destroy (`prevent_destroy`), and secrets that stay recoverable for a window after deletion.
 * The rehearsal shows each protection holding, then lifts `prevent_destroy` for the rehearsal only.
 */
import { type Emulator, emulatorRequest } from './emulator';
import type { StackConfig } from './emulator-gaps';

/** Addresses (`type.name`) of the resources with `lifecycle.prevent_destroy = true`. */
export function destroyProtectedResources(config: StackConfig): string[] {
  return Object.entries(config.resource ?? {})
    .flatMap(([type, resources]) =>
      Object.entries(resources)
        .filter(([, body]) => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true)
        .map(([name]) => `${type}.${name}`),
    )
    .sort();
}

/** The override fragment that lifts `prevent_destroy` on the given resources (rehearsal only). */
export function liftDestroyProtection(addresses: readonly string[]): Record<string, unknown> {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const address of addresses) {
    const [type, ...rest] = address.split('.');
    resource[type] ??= {};
    // Lifecycle blocks in override files merge argument by argument: only prevent_destroy changes.
    resource[type][rest.join('.')] = { lifecycle: { prevent_destroy: false } };
  }
  return { resource };
}

/** Secrets Manager secrets (by name) that a destroy only schedules for deletion, with their window in days. */
export function recoverableSecrets(config: StackConfig): { name: string; days: number }[] {
  return Object.values(config.resource?.aws_secretsmanager_secret ?? {})
    .map((secret) => ({ name: String(secret.name), days: Number(secret.recovery_window_in_days ?? 30) }))
    .filter((secret) => secret.days > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Names of every Secrets Manager secret a stack creates. */
export function createdSecrets(config: StackConfig): string[] {
  return Object.values(config.resource?.aws_secretsmanager_secret ?? {})
    .map((secret) => String(secret.name))
    .sort();
}

/** What the emulator's Secrets Manager holds under `name`. */
export async function secretState(emulator: Emulator, region: string, name: string): Promise<'absent' | 'scheduled-for-deletion' | 'active'> {
  try {
    const text = await emulatorRequest(emulator, {
      service: 'secretsmanager',
      region,
      method: 'POST',
      path: '/',
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({ SecretId: name }),
      target: 'secretsmanager.DescribeSecret',
    });
    // moto writes `"DeletedDate": null` for a secret that is not deleted.
    return (JSON.parse(text) as { DeletedDate?: unknown }).DeletedDate != null ? 'scheduled-for-deletion' : 'active';
  } catch (error) {
    if (/ResourceNotFoundException/.test(String(error))) return 'absent';
    throw error;
  }
}
