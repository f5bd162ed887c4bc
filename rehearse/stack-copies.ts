/**
 * Copies of synthesized stacks to deploy from. `npm run synth` replaces cdktf.out/ whole, and the rehearsal must
 * not write into a user's output, so each synth root's cdktf.out/ is copied (manifest and every `cdk.tf.json`
 * unchanged) and the rehearsal-only `override.tf.json` is written beside each copied stack.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from './emulator-gaps';
import { rehearsalOverride } from './stack-override';

/** cdktf's manifest of a synth root: every stack and the stacks it depends on. */
export interface StackManifest {
  readonly stacks: Readonly<Record<string, { readonly dependencies: readonly string[]; readonly synthesizedStackPath: string }>>;
}

export function readManifest(synthRoot: string): StackManifest {
  const path = join(synthRoot, 'cdktf.out', 'manifest.json');
  if (!existsSync(path)) throw new Error(`${synthRoot} holds no cdktf.out/manifest.json: synthesize it first (npm run synth)`);
  return JSON.parse(readFileSync(path, 'utf8')) as StackManifest;
}

/** The stacks of `environment` (named `<env>-<part>`), optionally only the ones listed. */
export function environmentStacks(manifest: StackManifest, environment: string, only?: readonly string[]): string[] {
  const stacks = Object.keys(manifest.stacks).filter((stack) => stack.startsWith(`${environment}-`));
  if (stacks.length === 0) throw new Error(`no stack of environment ${environment} in the synthesized output (known: ${Object.keys(manifest.stacks).join(', ')})`);
  if (!only) return stacks;
  const unknown = only.filter((stack) => !stacks.includes(stack));
  if (unknown.length > 0) throw new Error(`unknown stack(s) ${unknown.join(', ')} of environment ${environment}; known: ${stacks.join(', ')}`);
  return stacks.filter((stack) => only.includes(stack));
}

/**
 * The stacks in waves: every stack comes after the stacks it depends on (cdktf's order), and the stacks of one wave
 * are independent of each other, so they can be applied at the same time.
 */
export function deploymentWaves(manifest: StackManifest, stacks: readonly string[]): string[][] {
  const remaining = new Set(stacks);
  const done = new Set<string>();
  const waves: string[][] = [];
  while (remaining.size > 0) {
    const wave = [...remaining]
      .filter((stack) => manifest.stacks[stack].dependencies.every((dependency) => done.has(dependency) || !stacks.includes(dependency)))
      .sort();
    if (wave.length === 0) throw new Error(`the stacks ${[...remaining].join(', ')} depend on each other in a cycle`);
    for (const stack of wave) {
      remaining.delete(stack);
      done.add(stack);
    }
    waves.push(wave);
  }
  return waves;
}

export function readStackConfig(synthRoot: string, stack: string): StackConfig {
  return JSON.parse(readFileSync(join(synthRoot, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackConfig;
}

/**
 * Copies `synthRoot/cdktf.out` to `target/cdktf.out` and writes each stack's override for the emulator at
 * `endpoint`; `extraOverrides` are merged into a stack's override (the rehearsal lifting a protection, say).
 * Returns the folder of each stack.
 */
export function copyStacks(
  synthRoot: string,
  target: string,
  stacks: readonly string[],
  endpoint: string,
  extraOverrides: Readonly<Record<string, Record<string, unknown>>> = {},
): Record<string, string> {
  const out = join(target, 'cdktf.out');
  mkdirSync(join(out, 'stacks'), { recursive: true });
  cpSync(join(synthRoot, 'cdktf.out', 'manifest.json'), join(out, 'manifest.json'));
  const dirs: Record<string, string> = {};
  for (const stack of stacks) {
    const dir = join(out, 'stacks', stack);
    mkdirSync(dir, { recursive: true });
    cpSync(join(synthRoot, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), join(dir, 'cdk.tf.json'));
    writeStackOverride(dir, readStackConfig(synthRoot, stack), endpoint, extraOverrides[stack]);
    dirs[stack] = dir;
  }
  return dirs;
}

export function writeStackOverride(dir: string, config: StackConfig, endpoint: string, extra?: Record<string, unknown>): void {
  const override = rehearsalOverride(config, endpoint);
  if (extra) mergeInto(override, extra);
  writeFileSync(join(dir, 'override.tf.json'), `${JSON.stringify(override, null, 2)}\n`);
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing && typeof existing === 'object' && !Array.isArray(existing) && value && typeof value === 'object' && !Array.isArray(value)) {
      mergeInto(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}
