/**
 * The project's import graph, read from the source text, and the two rules the floor plan of the pure model
 * promises: a folder of constructs/kafka imports only the folders below it, and no module imports itself back
 * through a chain of others. Kept apart from the test so the test can plant a violation and see it caught.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Repository-relative path of a module -> the repository-relative paths of the project modules it imports. */
export type ImportGraph = Map<string, string[]>;

/** Files below `dir` whose names end in `extension` (TypeScript sources by default). */
export function sourceFiles(dir: string, extension = '.ts'): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path, extension);
    return path.endsWith(extension) ? [path] : [];
  });
}

/** Every module specifier in a file: static imports, re-exports, `import()` and `require()`. */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

function resolveRelative(repo: string, fromFile: string, specifier: string): string | undefined {
  const base = join(dirname(join(repo, fromFile)), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return relative(repo, candidate);
  }
  return undefined;
}

export function importGraph(repo: string, roots: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of roots.flatMap((root) => sourceFiles(join(repo, root)))) {
    const path = relative(repo, file);
    const targets = importSpecifiers(readFileSync(file, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolveRelative(repo, path, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(path, [...new Set(targets)]);
  }
  return graph;
}

const KAFKA = 'constructs/kafka/';

/**
 * Which folders of the pure model each folder may import (besides itself). The order is the design's:
 * spec <- model <- config <- (monitoring, analysis, topics) <- kubernetes <- operations <- security <- vm <- validation; the package
 * index at the root of constructs/kafka may import all of them.
 */
export const FLOOR_PLAN: Readonly<Record<string, readonly string[]>> = {
  spec: [],
  model: ['spec'],
  config: ['spec', 'model'],
  monitoring: ['spec', 'model', 'config'],
  analysis: ['spec', 'model', 'config'],
  topics: ['spec', 'model', 'config'],
  kubernetes: ['spec', 'model', 'config', 'monitoring'],
  // Day-2 operations: the roller, VM rolls, reassignments, feature levels; the NetworkPolicies (security/) admit them.
  operations: ['spec', 'model', 'config', 'monitoring', 'kubernetes'],
  security: ['spec', 'model', 'config', 'monitoring', 'kubernetes', 'topics', 'operations'],
  // VMs carry the same reconcile as the Kubernetes job: its script and plan come from security/.
  vm: ['spec', 'model', 'config', 'monitoring', 'topics', 'security'],
  validation: ['spec', 'model', 'config', 'monitoring', 'analysis', 'topics', 'kubernetes', 'operations', 'security', 'vm'],
  // The topology picture reads the NetworkPolicy model to say who may reach each listener.
  diagram: ['spec', 'model', 'config', 'monitoring', 'kubernetes', 'security'],
};

/** The floor-plan folder of a module of constructs/kafka ('' for the package index), undefined outside it. */
export function floorPlanFolder(path: string): string | undefined {
  if (!path.startsWith(KAFKA)) return undefined;
  const rest = path.slice(KAFKA.length);
  return rest.includes('/') ? rest.split('/')[0] : '';
}

export function floorPlanViolations(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const folder = floorPlanFolder(from);
    if (folder === undefined || folder === '') continue;
    const allowed = FLOOR_PLAN[folder];
    if (allowed === undefined) {
      problems.push(`${from} is in constructs/kafka/${folder}/, a folder the floor plan does not know`);
      continue;
    }
    for (const target of targets) {
      const targetFolder = floorPlanFolder(target);
      if (targetFolder === undefined) {
        problems.push(`${from} imports ${target}, outside the pure model`);
      } else if (targetFolder !== folder && !allowed.includes(targetFolder)) {
        problems.push(`${from} (${folder}/) imports ${target} (${targetFolder || 'the package index'}): ${folder}/ may import only ${allowed.join(', ') || 'nothing of the model'}`);
      }
    }
  }
  return problems.sort();
}

/** Each import cycle once, as the chain of modules that closes it (Tarjan's strongly connected components). */
export function importCycles(graph: ImportGraph): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indexOf.set(node, index);
    lowLink.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, indexOf.get(next)!));
      }
    }
    if (lowLink.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexOf.has(node)) visit(node);
  return cycles;
}
