/**
 * `npm run import-topics -- --topics <file> --configs <file> [--quotas <file>]...`: prints the spec fragment that
 * declares a running cluster's topics (and quotas) as they are, to paste into `environments/<env>.ts`. The files are
 * the output of Kafka's own tools (`-` reads standard input):
 *
 *   kafka-topics.sh  --bootstrap-server <b> --command-config admin.properties --describe --exclude-internal > topics.txt
 *   kafka-configs.sh --bootstrap-server <b> --command-config admin.properties --describe --entity-type topics > configs.txt
 *   kafka-configs.sh --bootstrap-server <b> --command-config admin.properties --describe --entity-type users > quotas.txt
 *
 * Warnings (configs left out) go to standard error. Exits 2 on a usage error or unreadable input.
 */
import { readFileSync } from 'node:fs';
import { currentTopics } from '../constructs/kafka/topics/describe-output';
import { importQuotas, importTopics } from '../constructs/kafka/topics/import-topics';

const USAGE = 'usage: npm run import-topics -- --topics <kafka-topics --describe output> --configs <kafka-configs --describe --entity-type topics output> [--quotas <kafka-configs --describe --entity-type users|clients output>]...';

function main(argv: readonly string[]): number {
  const files: { topics?: string; configs?: string; quotas: string[] } = { quotas: [] };
  for (let index = 0; index < argv.length; index++) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (value === undefined || !['--topics', '--configs', '--quotas'].includes(flag)) {
      console.error(USAGE);
      return 2;
    }
    if (flag === '--quotas') files.quotas.push(value);
    else files[flag === '--topics' ? 'topics' : 'configs'] = value;
    index++;
  }
  if (!files.topics || !files.configs) {
    console.error(USAGE);
    return 2;
  }
  const read = (path: string) => readFileSync(path === '-' ? 0 : path, 'utf8');
  try {
    const topics = importTopics(currentTopics(read(files.topics), read(files.configs)));
    const quotas = files.quotas.length > 0 ? importQuotas(files.quotas.map(read)) : undefined;
    for (const warning of [...topics.warnings, ...(quotas?.warnings ?? [])]) console.error(`warning: ${warning}`);
    process.stdout.write(`// Imported from the cluster; review, then paste into the EnvironmentSpec.\n${topics.fragment}${quotas?.fragment ?? ''}`);
    return 0;
  } catch (error) {
    console.error(`import-topics: ${(error as Error).message}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
