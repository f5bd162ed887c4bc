/**
 * `npm run synth [-- --env <name> ...] [--base <folder>]`: validates every environment and writes Terraform to
 * cdktf.out/ and Kubernetes YAML, Kafka configs and monitoring files to dist/. Exits 1 with every problem listed when
 * a spec is invalid, or undoes what the base output (the previous one, or `<folder>/dist/`) committed the cluster to
 * (a topic's partitions lowered, an undrained broker removed, a feature level lowered), writing nothing.
 */
import { resolve } from 'node:path';
import { SpecValidationError } from '../constructs/kafka/validation/problems';
import { environments } from '../environments';
import { SynthOutputError, describeFileError } from '../synth/output-fs';
import { UnknownEnvironmentError, synthesize } from '../synth/synthesize';

function parseArgs(argv: readonly string[]): { only?: string[]; baseDir?: string } {
  const only: string[] = [];
  let baseDir: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--env' && argv[index + 1]) only.push(...argv[++index].split(','));
    else if (arg.startsWith('--env=')) only.push(...arg.slice('--env='.length).split(','));
    else if (arg === '--base' && argv[index + 1]) baseDir = resolve(argv[++index]);
    else throw new UnknownEnvironmentError(`unknown argument ${arg}; usage: npm run synth [-- --env <name>[,<name>...]] [--base <folder with the base's dist/>]`);
  }
  return { ...(only.length > 0 ? { only } : {}), ...(baseDir ? { baseDir } : {}) };
}

function main(): number {
  const started = performance.now();
  try {
    const rootDir = resolve(__dirname, '..');
    const reports = synthesize({
      rootDir,
      environments,
      ...parseArgs(process.argv.slice(2)),
      // The cdktf CLI (`cdktf deploy`) runs this app and tells it where to write.
      ...(process.env.CDKTF_OUTDIR ? { terraformOutDir: resolve(process.env.CDKTF_OUTDIR) } : {}),
    });
    for (const report of reports) {
      console.log(
        `${report.environment} (${report.runtime}): ${report.stacks.length} stack(s) [${report.stacks.join(', ')}], ` +
          `${report.files.length} file(s) in dist/${report.environment}/, ${report.milliseconds.toFixed(0)} ms`,
      );
      for (const file of report.files) console.log(`  dist/${report.environment}/${file}`);
      for (const stack of report.stacks) console.log(`  cdktf.out/stacks/${stack}/cdk.tf.json`);
    }
    console.log(`synthesized ${reports.length} environment(s) in ${(performance.now() - started).toFixed(0)} ms`);
    return 0;
  } catch (error) {
    if (error instanceof SpecValidationError || error instanceof UnknownEnvironmentError) {
      console.error(`synth failed, nothing was written.\n${error.message}`);
      return 1;
    }
    // File-system failures (permissions, a full disk, a busy mount point, ...) are one line naming the path.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (error instanceof SynthOutputError || typeof code === 'string') {
      const path = (error as NodeJS.ErrnoException).path ?? 'the output';
      console.error(`synth failed: ${describeFileError(error, 'write', path).message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
