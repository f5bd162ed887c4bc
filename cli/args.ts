import { UsageError } from './errors';

/** A command's flags: name (without `--`) -> whether it takes a value. */
export type FlagSpec = Readonly<Record<string, 'value' | 'switch'>>;

/** Parsed command line: flag values (the last one wins; `values` keeps all), switches and positional arguments. */
export interface ParsedArgs {
  /** The last value given to each value flag. */
  readonly flags: ReadonlyMap<string, string>;
  /** Every value given to each value flag, in order. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** Switches that were given. */
  readonly switches: ReadonlySet<string>;
  /** Arguments that are not flags. */
  readonly positionals: readonly string[];
}

/** Parses `--flag value`, `--flag=value` and `--switch`; anything unknown is a usage error naming it. */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const kind = spec[name];
    if (kind === undefined) {
      const known = Object.keys(spec).map((flag) => `--${flag}`).join(', ');
      throw new UsageError(`unknown option ${arg}${known ? `; options: ${known}` : ''}`);
    }
    if (kind === 'switch') {
      if (equals !== -1) throw new UsageError(`--${name} takes no value`);
      switches.add(name);
      continue;
    }
    const value = equals !== -1 ? arg.slice(equals + 1) : argv[++index];
    if (value === undefined || value === '' || (equals === -1 && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const flags = new Map([...values].map(([name, given]) => [name, given[given.length - 1] ?? '']));
  return { flags, values, switches, positionals };
}
