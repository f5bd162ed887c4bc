import type { NodeSizeSpec } from '../spec/environment-spec';
import { instanceShape } from './instance-types';

/** What a node does: KRaft controller or broker (roles are never combined). */
export type NodeRole = 'controller' | 'broker';

/** A node's resources with everything derived: what both runtimes and the renderer use. */
export interface NodeSizing {
  /** vCPUs. */
  readonly cpu: number;
  /** Memory in GiB. */
  readonly memoryGiB: number;
  /** EC2 instance type. @default - none: sized by `cpu` and `memoryGiB` alone (Kubernetes only; VMs require one) */
  readonly instanceType?: string;
  /** JVM heap (`-Xmx`/`-Xms`) in MiB. */
  readonly heapMiB: number;
  /** `num.network.threads`. */
  readonly numNetworkThreads: number;
  /** `num.io.threads`. */
  readonly numIoThreads: number;
  /** `num.replica.fetchers`. */
  readonly numReplicaFetchers: number;
  /** `num.recovery.threads.per.data.dir`. */
  readonly numRecoveryThreadsPerDataDir: number;
}

/**
 * Heap policy. Brokers serve reads from the OS page cache, not the heap, so they get a quarter of memory capped at
 * 6 GiB (the heap Kafka's operations guide runs production brokers with); the rest stays with the page cache.
 * Controllers keep the metadata image on heap and need no page cache, so they get half, capped at 4 GiB.
 */
const HEAP_POLICY: Record<NodeRole, { share: number; minMiB: number; maxMiB: number; maxShare: number }> = {
  broker: { share: 0.25, minMiB: 1024, maxMiB: 6144, maxShare: 0.5 },
  controller: { share: 0.5, minMiB: 512, maxMiB: 4096, maxShare: 0.75 },
};
const MIN_MEMORY_GIB: Record<NodeRole, number> = { broker: 2, controller: 1 };

/** Why `size` cannot be resolved for `role`; each entry names the field (relative to the size object). */
export function sizingProblems(
  size: NodeSizeSpec,
  role: NodeRole,
  runtime: 'kubernetes' | 'vm',
): { field: string; value: unknown; message: string }[] {
  const problems: { field: string; value: unknown; message: string }[] = [];
  const shape = size.instanceType ? instanceShape(size.instanceType) : undefined;
  if (runtime === 'vm' && !size.instanceType) {
    problems.push({ field: 'instanceType', value: undefined, message: 'required when runtime.kind is "vm"' });
  }
  if (size.instanceType && !shape && (size.cpu === undefined || size.memoryGiB === undefined)) {
    problems.push({
      field: 'instanceType',
      value: size.instanceType,
      message: 'is not in the instance table (constructs/kafka/model/instance-types.ts): add it there, or give cpu and memoryGiB',
    });
  }
  if (!size.instanceType && (size.cpu === undefined || size.memoryGiB === undefined)) {
    for (const field of ['cpu', 'memoryGiB'] as const) {
      if (size[field] === undefined) {
        problems.push({ field, value: undefined, message: 'required unless instanceType is given' });
      }
    }
  }
  if (shape && size.cpu !== undefined && size.cpu > shape.cpu) {
    problems.push({ field: 'cpu', value: size.cpu, message: `exceeds the ${shape.cpu} vCPUs of ${size.instanceType}` });
  }
  if (shape && size.memoryGiB !== undefined && size.memoryGiB > shape.memoryGiB) {
    problems.push({
      field: 'memoryGiB',
      value: size.memoryGiB,
      message: `exceeds the ${shape.memoryGiB} GiB of ${size.instanceType}`,
    });
  }
  if (problems.length > 0) return problems;

  const memoryGiB = size.memoryGiB ?? shape!.memoryGiB;
  if (memoryGiB < MIN_MEMORY_GIB[role]) {
    problems.push({
      field: size.memoryGiB === undefined ? 'instanceType' : 'memoryGiB',
      value: size.memoryGiB ?? size.instanceType,
      message: `gives ${memoryGiB} GiB, a ${role} needs at least ${MIN_MEMORY_GIB[role]} GiB`,
    });
  }
  const maxHeapGiB = memoryGiB * HEAP_POLICY[role].maxShare;
  if (size.heapGiB !== undefined && size.heapGiB > maxHeapGiB) {
    problems.push({
      field: 'heapGiB',
      value: size.heapGiB,
      message:
        `is too large for ${memoryGiB} GiB of memory${size.instanceType ? ` (${size.instanceType})` : ''}: ` +
        `a ${role} heap may take at most ${Math.round(HEAP_POLICY[role].maxShare * 100)}% (${maxHeapGiB} GiB), ` +
        `the rest is for ${role === 'broker' ? 'the page cache' : 'off-heap memory'}`,
    });
  }
  return problems;
}

/** Resolves a valid size (see `sizingProblems`) into resources, heap and thread counts. */
export function resolveSizing(size: NodeSizeSpec, role: NodeRole): NodeSizing {
  const shape = size.instanceType ? instanceShape(size.instanceType) : undefined;
  const cpu = size.cpu ?? shape?.cpu;
  const memoryGiB = size.memoryGiB ?? shape?.memoryGiB;
  if (cpu === undefined || memoryGiB === undefined) {
    throw new Error(`resolveSizing called on an unvalidated size: ${JSON.stringify(size)}`);
  }
  const policy = HEAP_POLICY[role];
  const heapMiB =
    size.heapGiB !== undefined
      ? Math.floor(size.heapGiB * 1024)
      : roundDownTo(clamp(memoryGiB * 1024 * policy.share, policy.minMiB, policy.maxMiB), 256);
  const cores = Math.max(1, Math.floor(cpu));
  return {
    cpu,
    memoryGiB,
    ...(size.instanceType ? { instanceType: size.instanceType } : {}),
    heapMiB,
    // Network threads only move bytes between sockets and queues: Kafka's default 3, one more per two cores.
    numNetworkThreads: Math.max(3, Math.ceil(cores / 2)),
    // Request handlers do the disk I/O and may block on it, so run more of them than cores (Kafka's default is 8).
    numIoThreads: Math.max(8, cores * 2),
    // One fetcher per four cores lets followers on big brokers keep up without starving request handlers.
    numReplicaFetchers: Math.max(1, Math.floor(cores / 4)),
    // Log recovery after an unclean stop is all a broker does until it is done: use every core.
    numRecoveryThreadsPerDataDir: Math.max(2, cores),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function roundDownTo(value: number, step: number): number {
  return Math.max(step, Math.floor(value / step) * step);
}
