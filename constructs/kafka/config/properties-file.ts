/** A `.properties` file as ordered, commented sections: deterministic and easy to review in a diff. */
export type PropertyValue = string | number | boolean;

/** A titled group of properties, written after a `# --- title ---` line. */
export interface PropertySection {
  /** One-line heading rendered as a `#` comment. */
  readonly title: string;
  /** Key-value pairs in the order they are written; a key may appear only once in the whole file. */
  readonly entries: readonly (readonly [key: string, value: PropertyValue])[];
}

/** Java properties escaping: backslashes always; in keys also the separators `=`, `:` and spaces. */
function escape(text: string, isKey: boolean): string {
  if (/[\r\n]/.test(text)) throw new Error(`property ${isKey ? 'key' : 'value'} ${JSON.stringify(text)} contains a line break`);
  const escaped = text.replace(/\\/g, '\\\\');
  return isKey ? escaped.replace(/([=: ])/g, '\\$1') : escaped.replace(/^ /, '\\ ');
}

/**
 * The text of a `.properties` file: `header` lines as `#` comments, then every non-empty section, keys and values
 * escaped the Java way. Throws on a key rendered twice or a line break in a key or value.
 */
export function renderProperties(header: readonly string[], sections: readonly PropertySection[]): string {
  const seen = new Set<string>();
  const lines = header.map((line) => `# ${line}`);
  for (const section of sections) {
    if (section.entries.length === 0) continue;
    lines.push('', `# --- ${section.title} ---`);
    for (const [key, value] of section.entries) {
      if (seen.has(key)) throw new Error(`property ${key} is rendered twice`);
      seen.add(key);
      lines.push(`${escape(key, true)}=${escape(String(value), false)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Reads a rendered file back into key/value pairs (for tests and for comparing runtimes). */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^((?:\\.|[^=:\\ ])+)[=:](.*)$/.exec(line);
    if (!match) throw new Error(`not a property line: ${line}`);
    const unescape = (part: string) => part.replace(/\\(.)/g, '$1');
    result.set(unescape(match[1]), unescape(match[2]));
  }
  return result;
}
