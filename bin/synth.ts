/**
 * `npm run synth [-- --env <name> ...] [--base <folder>]`: validates every environment and writes Terraform to
 * cdktf.out/ and Kubernetes YAML, Kafka configs and monitoring files to dist/. Exits 1 with every problem listed when
 * a spec is invalid, or undoes what the base output (the previous one, or `<folder>/dist/`) committed the cluster to
 * (a topic's partitions lowered, an undrained broker removed, a feature level lowered), writing nothing.
 */
import { resolve } from 'node:path';
import { environments } from '../environments';
import { runSynthCli } from '../synth/cli';

process.exitCode = runSynthCli(process.argv.slice(2), { rootDir: resolve(__dirname, '..'), environments });
