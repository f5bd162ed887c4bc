/**
 * Code in the docs that claims to come from a file (a ```ts block whose first line is `// <path> (excerpt)`) must be
 * that file's text, line for line after removing the indentation, so a snippet can never drift from code that
 * compiles and is tested. Relative links in the docs must point at files that exist.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const repo = join(__dirname, '../..');
const documents = ['README.md', ...readdirSync(join(repo, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

interface Excerpt {
  readonly document: string;
  readonly source: string;
  readonly lines: string[];
}

function excerpts(document: string): Excerpt[] {
  const text = readFileSync(join(repo, document), 'utf8');
  return [...text.matchAll(/```ts\n\/\/ (\S+) \(excerpt\)\n([\s\S]*?)```/g)].map((match) => ({ document, source: match[1], lines: match[2].split('\n') }));
}

const dedent = (line: string) => line.trim();
const all = documents.flatMap(excerpts);

it('finds the excerpts the docs mark', () => {
  expect(all.map((excerpt) => `${excerpt.document} <- ${excerpt.source}`)).toContain('docs/aws.md <- examples/vm-cluster-in-your-own-stack.ts');
});

it.each(all.map((excerpt) => [`${excerpt.document} <- ${excerpt.source}`, excerpt] as const))('%s is the file, line for line', (_, excerpt) => {
  const source = readFileSync(join(repo, excerpt.source), 'utf8').split('\n').map(dedent);
  const wanted = excerpt.lines.map(dedent).filter((line) => line !== '');
  const lines = source.filter((line) => line !== '');
  const start = lines.indexOf(wanted[0]);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(lines.slice(start, start + wanted.length)).toEqual(wanted);
});

it.each(documents)('%s links only to files that exist', (document) => {
  const text = readFileSync(join(repo, document), 'utf8');
  const targets = [...text.matchAll(/\]\(((?:\.\.?\/|[a-z][\w-]*\/)[^)#\s]*)(?:#[^)]*)?\)/g)].map((match) => match[1]);
  expect(targets.filter((target) => !existsSync(join(repo, dirname(document), target)))).toEqual([]);
});
