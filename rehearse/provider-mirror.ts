/**
 * The hashicorp/aws provider comes from a filesystem mirror on disk (or named by TF_PROVIDER_MIRROR), never from the
 * network: `terraform init` then runs offline. Shared by the tests' `terraform validate` and the rehearsal.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const AWS_PROVIDER_VERSION = '5.100.0';
const PROVIDER_PATH = join('registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER_VERSION);
const SEARCH_ROOTS = ['/opt', '/usr/local/share', '/usr/share', '/usr/local/lib', '/var/lib', '/srv', join(homedir(), '.terraform.d'), join(homedir(), '.local', 'share')];

/** The folder holding `registry.terraform.io/hashicorp/aws/5.100.0`, or undefined. */
export function findProviderMirror(): string | undefined {
  const fromEnv = process.env.TF_PROVIDER_MIRROR;
  if (fromEnv) return existsSync(join(fromEnv, PROVIDER_PATH)) ? fromEnv : undefined;
  // Breadth-first over a few well-known roots, a few levels deep: cheap, and no location is hard-coded.
  let frontier = SEARCH_ROOTS.filter((root) => existsSync(root));
  for (let depth = 0; depth < 5 && frontier.length > 0; depth++) {
    const found = frontier.find((dir) => existsSync(join(dir, PROVIDER_PATH)));
    if (found) return found;
    frontier = frontier.flatMap((dir) => {
      try {
        return readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
          .map((entry) => join(dir, entry.name));
      } catch {
        return [];
      }
    });
  }
  return undefined;
}

/**
 * The hashicorp/aws binary for this machine's platform under `pluginsDir`, a folder laid out as a filesystem mirror
 * (`registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/`): the mirror itself, or the `.terraform/providers`
 * that `terraform init` installs into. Undefined when there is none.
 */
export function providerBinaryIn(pluginsDir: string): string | undefined {
  const dir = join(pluginsDir, PROVIDER_PATH, `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`);
  if (!existsSync(dir)) return undefined;
  const binary = readdirSync(dir).find((name) => name.startsWith('terraform-provider-aws'));
  return binary ? join(dir, binary) : undefined;
}

/**
 * Writes a Terraform CLI config (for TF_CLI_CONFIG_FILE) that installs hashicorp/aws from `mirror` only, so
 * `terraform init` never reaches a registry. Returns its path.
 */
export function writeMirrorCliConfig(path: string, mirror: string): string {
  writeFileSync(
    path,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return path;
}
