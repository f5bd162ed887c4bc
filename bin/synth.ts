/**
 * `npm run synth [-- --env <name> ...]`: validates every environment and writes Terraform to cdktf.out/ and
 * Kubernetes YAML, Kafka configs and monitoring files to dist/. Exits 1 with every problem listed when a spec is
 * invalid, writing nothing.
 */
import { resolve } from 'node:path';
import { environments } from '../environments';
import { runSynthCli } from '../synth/cli';

process.exitCode = runSynthCli(process.argv.slice(2), { rootDir: resolve(__dirname, '..'), environments });
