import type { ClusterModel } from '../model/cluster-model';
import { type FeatureName, desiredFeatureLevels } from './feature-levels';

/**
 * `dist/<env>/operations/state.json`: what a synthesized output commits the cluster to, in the terms the next change
 * is checked against: its brokers, which are draining or drained, the feature levels it finalizes. Synth reads the
 * previous output's file as the base (or another output's, `--base`) to refuse removing an undrained broker and
 * lowering a feature level; the review compares the base's and the head's.
 */
export interface OperationsState {
  readonly environment: string;
  readonly kafkaVersion: string;
  readonly brokers: readonly { readonly id: number; readonly name: string; readonly zone: string }[];
  readonly controllers: readonly { readonly id: number; readonly name: string; readonly zone: string }[];
  readonly draining: readonly number[];
  readonly drained: readonly number[];
  /** Feature name -> numeric level the spec finalizes. */
  readonly features: Readonly<Partial<Record<FeatureName, number>>>;
}

export const OPERATIONS_STATE_FILE = 'operations/state.json';

export function operationsState(model: ClusterModel): OperationsState {
  const { spec } = model;
  const nodes = (role: 'broker' | 'controller') => model.nodes.filter((node) => node.role === role).map((node) => ({ id: node.nodeId, name: node.name, zone: node.zone }));
  return {
    environment: spec.name,
    kafkaVersion: spec.kafka.version,
    brokers: nodes('broker'),
    controllers: nodes('controller'),
    draining: [...spec.operations.brokers.draining].sort((a, b) => a - b),
    drained: [...spec.operations.brokers.drained].sort((a, b) => a - b),
    features: Object.fromEntries(desiredFeatureLevels(spec.kafka.features).map(({ feature, level }) => [feature, level])),
  };
}

export function renderOperationsState(state: OperationsState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** Reads a state file back; undefined when it is not one (an output older than this file, or damaged). */
export function parseOperationsState(text: string): OperationsState | undefined {
  try {
    const value = JSON.parse(text) as Partial<OperationsState>;
    if (typeof value.environment !== 'string' || !Array.isArray(value.brokers) || !Array.isArray(value.drained) || !Array.isArray(value.draining)) return undefined;
    return { controllers: [], features: {}, kafkaVersion: '', ...value } as OperationsState;
  } catch {
    return undefined;
  }
}

export interface ReviewFinding {
  readonly severity: 'danger' | 'warning';
  /** The spec field the finding is about. */
  readonly path: string;
  readonly message: string;
}

/**
 * For the change review: a broker marked drained in the head that the base never marked draining skipped the drain,
 * so its replicas may still be on it when it goes away.
 */
export function scaleInReviewFindings(base: OperationsState, head: OperationsState): ReviewFinding[] {
  const wasDraining = new Set([...base.draining, ...base.drained]);
  const named = new Map([...base.brokers, ...head.brokers].map((broker) => [broker.id, broker.name]));
  return head.drained
    .filter((id) => !wasDraining.has(id))
    .map((id) => ({
      severity: 'danger' as const,
      path: 'operations.brokers.drained',
      message: `broker ${id}${named.has(id) ? ` (${named.get(id)})` : ''} is marked drained but was never draining in the base: its replicas were not moved off it by a reviewed drain`,
    }));
}
