/**
 * `NAME='value'` files that the shipped shell scripts source (bootstrap.env on VMs, the reconcile plan's
 * connection.env). Values are single-quoted; a value that could break out of the quotes, or start a command
 * substitution, is refused here rather than escaped, because every value is a name, a path, a number or a flag that
 * has no business containing one.
 */
export type EnvFileValue = string | number | boolean;

// Inside single quotes only a quote ends the value; the set stays narrow anyway, so no value needs a second look.
const SAFE_VALUE = /^[A-Za-z0-9._:/@=+,%~ ()-]*$/;

export function envFileLine(name: string, value: EnvFileValue): string {
  const text = String(value);
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`${JSON.stringify(name)} is not a shell variable name`);
  if (!SAFE_VALUE.test(text)) throw new Error(`${name} = ${JSON.stringify(text)} cannot be written to a shell env file`);
  return `${name}='${text}'`;
}

/** The whole file: a comment line, then one `NAME='value'` line per entry, newline-terminated. */
export function renderEnvFile(comment: string, entries: readonly (readonly [string, EnvFileValue])[]): string {
  return `# ${comment}\n${entries.map(([name, value]) => envFileLine(name, value)).join('\n')}\n`;
}
