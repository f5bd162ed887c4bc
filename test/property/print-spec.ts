/**
 * A spec as indented text for a failing property's report: handles what the generators put into specs (BigInts,
 * cycles, functions, symbols, throwing getters and toJSON) without calling any of it.
 */
export function printSpec(value: unknown): string {
  const seen = new Set<object>();
  const render = (node: unknown, indent: string): string => {
    if (typeof node === 'bigint') return `${node}n`;
    if (typeof node === 'symbol') return node.toString();
    if (typeof node === 'function') return '[function]';
    if (typeof node === 'number') return Number.isFinite(node) ? String(node) : String(node);
    if (typeof node !== 'object' || node === null) return JSON.stringify(node) ?? String(node);
    if (seen.has(node)) return '[cycle]';
    seen.add(node);
    const inner = `${indent}  `;
    const entries = Array.isArray(node) ? node.map((_, index) => [String(index), index] as const) : Object.getOwnPropertyNames(node).map((key) => [JSON.stringify(key), key] as const);
    const lines = entries.map(([label, key]) => {
      let text: string;
      try {
        text = render((node as Record<string | number, unknown>)[key], inner);
      } catch (error) {
        text = `[throws: ${(error as Error).message}]`;
      }
      return Array.isArray(node) ? `${inner}${text}` : `${inner}${label}: ${text}`;
    });
    seen.delete(node);
    const [open, close] = Array.isArray(node) ? ['[', ']'] : ['{', '}'];
    return lines.length === 0 ? `${open}${close}` : `${open}\n${lines.join(',\n')}\n${indent}${close}`;
  };
  return render(value, '');
}
