import { resolveSizing, sizingProblems } from '../../../constructs/kafka/model/sizing';

describe('node sizing', () => {
  it('gives brokers a quarter of memory as heap, between 1 and 6 GiB', () => {
    expect(resolveSizing({ cpu: 1, memoryGiB: 2 }, 'broker').heapMiB).toBe(1024);
    expect(resolveSizing({ cpu: 2, memoryGiB: 16 }, 'broker').heapMiB).toBe(4096);
    expect(resolveSizing({ cpu: 16, memoryGiB: 128 }, 'broker').heapMiB).toBe(6144);
  });

  it('gives controllers half of memory as heap, at most 4 GiB', () => {
    expect(resolveSizing({ cpu: 1, memoryGiB: 1 }, 'controller').heapMiB).toBe(512);
    expect(resolveSizing({ cpu: 2, memoryGiB: 16 }, 'controller').heapMiB).toBe(4096);
  });

  it('derives cpu and memory from a known instance type', () => {
    const sizing = resolveSizing({ instanceType: 'r6i.2xlarge' }, 'broker');
    expect(sizing).toMatchObject({ cpu: 8, memoryGiB: 64, numNetworkThreads: 4, numIoThreads: 16, numReplicaFetchers: 2 });
  });

  it('honours an explicit heap', () => {
    expect(resolveSizing({ cpu: 4, memoryGiB: 32, heapGiB: 8 }, 'broker').heapMiB).toBe(8192);
  });

  it('rejects an unknown instance type without cpu and memory', () => {
    expect(sizingProblems({ instanceType: 'x9z.mega' }, 'broker', 'vm')).toEqual([
      expect.objectContaining({ field: 'instanceType', message: expect.stringContaining('not in the instance table') }),
    ]);
  });

  it('rejects cpu or memory beyond the instance type', () => {
    const problems = sizingProblems({ instanceType: 'm6i.large', cpu: 4, memoryGiB: 16 }, 'broker', 'kubernetes');
    expect(problems.map((problem) => problem.message)).toEqual(['exceeds the 2 vCPUs of m6i.large', 'exceeds the 8 GiB of m6i.large']);
  });

  it('rejects a broker with less than 2 GiB', () => {
    expect(sizingProblems({ cpu: 1, memoryGiB: 1 }, 'broker', 'kubernetes')).toEqual([
      expect.objectContaining({ field: 'memoryGiB', message: 'gives 1 GiB, a broker needs at least 2 GiB' }),
    ]);
  });
});
