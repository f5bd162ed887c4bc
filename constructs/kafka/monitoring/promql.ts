import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * Small PromQL helpers: the metric names an expression reads (for the consistency test and reviews), a structural
 * parse check that needs no tools, and promtool's full check when promtool is installed.
 */

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);

/** The metric names an expression selects, sorted and without duplicates. */
export function metricNamesIn(expr: string): string[] {
  const names = new Set<string>();
  let text = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  // `{__name__="x"}` selects by name too.
  for (const match of expr.matchAll(/__name__\s*=\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/g)) names.add(match[1]);
  text = text
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?[0-9a-z]+/g, ' ');
  const token = /(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g;
  for (const match of text.matchAll(token)) {
    const [, number, identifier, call] = match;
    if (number !== undefined || identifier === undefined || call !== undefined) continue;
    if (KEYWORDS.has(identifier.toLowerCase())) continue;
    names.add(identifier);
  }
  return [...names].sort();
}

/**
 * What is structurally wrong with an expression (unbalanced brackets or quotes, empty), or undefined. Not a full
 * PromQL parser: promtool is, and `promtoolProblems` uses it when installed.
 */
export function promqlSyntaxProblem(expr: string): string | undefined {
  if (expr.trim() === '') return 'is empty';
  const closing: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let index = 0; index < expr.length; index++) {
    const char = expr[index];
    if (char === '"' || char === "'" || char === '`') {
      const end = findClosingQuote(expr, index);
      if (end < 0) return `has an unterminated string starting at character ${index + 1}`;
      index = end;
    } else if (char in closing) {
      stack.push(closing[char]);
    } else if (char === ')' || char === ']' || char === '}') {
      const expected = stack.pop();
      if (expected !== char) return `has an unbalanced "${char}" at character ${index + 1}`;
    }
  }
  if (stack.length > 0) return `is missing "${stack.reverse().join('')}" at the end`;
  if (/^\s*(and|or|unless|[-+*/%^<>=!])/.test(expr) && !/^\s*-\s*[\w(]/.test(expr)) return 'starts with an operator';
  if (/(and|or|unless|[-+*/%^<>=])\s*$/.test(expr)) return 'ends with an operator';
  return undefined;
}

function findClosingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let index = start + 1; index < text.length; index++) {
    if (quote !== '`' && text[index] === '\\') index++;
    else if (text[index] === quote) return index;
  }
  return -1;
}

/** Path to promtool, or undefined when it is not installed. */
export function promtoolPath(): string | undefined {
  const result = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? 'promtool' : undefined;
}

/** A rule to check with promtool, keyed by the spec path its problems are reported under. */
export interface RuleToCheck {
  /** Spec path the rule's problems are reported under, e.g. `monitoring.extraAlerts[0]`. */
  readonly path: string;
  /** The rule as it goes into the rule file (`alert`/`record`, `expr`, ...). */
  readonly rule: Readonly<Record<string, unknown>>;
}

/**
 * Runs `promtool check rules` over the given rules, one group per rule so every error names its rule, and returns
 * the error text per path. Empty when promtool is missing (callers fall back to `promqlSyntaxProblem`).
 */
export function promtoolProblems(rules: readonly RuleToCheck[]): Map<string, string> {
  const problems = new Map<string, string>();
  if (rules.length === 0 || !promtoolPath()) return problems;
  const dir = mkdtempSync(join(tmpdir(), 'kafka-promql-'));
  try {
    const file = join(dir, 'rules.yaml');
    const groups = rules.map((entry, index) => ({ name: `rule-${index}`, rules: [entry.rule] }));
    writeFileSync(file, stringify({ groups }));
    const result = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    if (result.status === 0) return problems;
    const output = `${result.stdout}\n${result.stderr}`;
    for (const line of output.split('\n')) {
      const match = /group "rule-(\d+)", rule \d+,(?: "[^"]*":)? (.*)$/.exec(line.trim());
      if (match) problems.set(rules[Number(match[1])].path, match[2].trim());
    }
    if (problems.size === 0) problems.set(rules[0].path, output.trim().split('\n').slice(-3).join(' '));
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
