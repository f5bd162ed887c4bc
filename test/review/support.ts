import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EnvironmentSpec } from '../../constructs/kafka/spec/environment-spec';
import { environments } from '../../environments';
import { type Review, reviewSynthRoots } from '../../review/report';
import { readSynthRoot } from '../../review/synth-root';
import { synthesize } from '../../synth/synthesize';
import { withChange } from '../fixtures/environments';
import { makeTempDir } from '../support/temp-dirs';

/** A synth root of `specs` in a fresh temp folder (removed by removeTempDirs). */
export function synthRoot(specs: readonly EnvironmentSpec[], only?: readonly string[]): string {
  const root = makeTempDir('kafka-review-');
  synthesize({ rootDir: root, environments: specs, ...(only ? { only } : {}) });
  return root;
}

/** The shipped environments with one of them changed. */
export function withShippedChange(name: string, change: (draft: any) => void): EnvironmentSpec[] {
  return environments.map((spec) => (spec.name === name ? withChange(spec, change) : spec));
}

export function review(base: string, head: string, only?: readonly string[]): Review {
  return reviewSynthRoots(readSynthRoot(base), readSynthRoot(head), only ? { only } : {});
}

/** Writes a file below a root (creating folders): for hand-made fixture files such as topology.md or plan JSON. */
export function writeFixture(root: string, path: string, content: string): string {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  return target;
}

/** What a review says about one environment, compactly: the facts the mutation tests pin down exactly. */
export function summary(result: Review, environment: string) {
  const report = result.environments.find((candidate) => candidate.environment === environment);
  if (!report) throw new Error(`no ${environment} in the review`);
  const count = (items: string[]) => Object.fromEntries([...new Set(items)].sort().map((item) => [item, items.filter((other) => other === item).length]));
  return {
    status: report.status,
    dangers: report.dangers.map((danger) => `${danger.category}/${danger.rule}: ${danger.what}`),
    notices: report.notices.map((notice) => `${notice.category}/${notice.rule}: ${notice.what}`),
    terraform: count(report.terraform.map((change) => `${change.stack} ${change.action} ${change.type}`)),
    kubernetes: report.kubernetes.map((change) => `${change.action} ${change.kind} ${change.name}`),
    nodes: report.kafka.nodes.filter((node) => node.status !== 'unchanged' || node.restart).map((node) => `${node.node}: ${node.status}${node.keys.length > 0 && node.status === 'changed' ? ` [${node.keys.map((key) => key.key).join(', ')}]` : ''}${node.restart ? ` restart by ${node.restart.mechanism}` : ''}`),
    roll: report.kafka.roll.steps.map((step) => step.node),
  };
}
