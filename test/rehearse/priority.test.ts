/**
 * withPriority (test/rehearse/support.ts): the processes started during the work run at the niceness asked for where
 * the system permits it (root), as they are otherwise, and the thread gets its own niceness back, failed or not.
 */
import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { withPriority } from './support';

const permitted = process.getuid?.() === 0;
const childNiceness = () => Number(spawnSync('nice', { encoding: 'utf8' }).stdout.trim());

it('starts processes at the niceness asked for where permitted, and restores the thread\'s own', async () => {
  const own = getPriority();
  const during = await withPriority(own - 3, async () => childNiceness());
  expect(during).toBe(permitted ? own - 3 : own);
  expect(getPriority()).toBe(own);
  expect(childNiceness()).toBe(own);
});

it('restores the thread\'s niceness when the work fails', async () => {
  const own = getPriority();
  await expect(withPriority(own - 2, async () => Promise.reject(new Error('failed work')))).rejects.toThrow('failed work');
  expect(getPriority()).toBe(own);
});
