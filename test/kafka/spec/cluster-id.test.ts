import { randomBytes } from 'node:crypto';
import { clusterIdProblem } from '../../../constructs/kafka/spec/cluster-id';

describe('Kafka cluster ids', () => {
  it('accept what kafka-storage.sh random-uuid prints (16 random bytes, base64url, unpadded)', () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const id = randomBytes(16).toString('base64url');
      if (id.startsWith('-')) continue;
      expect(clusterIdProblem(id)).toBeUndefined();
    }
  });

  it.each([
    ['too short', 'abc', 'must be 22 base64url characters'],
    ['standard base64', 'iISawsuGVJrthHr6igQx+A', 'must be 22 base64url characters'],
    ['a UUID with dashes', '6ba7b810-9dad-11d1-80b4', 'must be 22 base64url characters'],
    ['more than 16 bytes', 'iISawsuGVJrthHr6igQxdB', 'does not decode to a 16-byte UUID'],
    ['the zero UUID', 'AAAAAAAAAAAAAAAAAAAAAA', 'reserves'],
    ['a leading dash', '-ISawsuGVJrthHr6igQxdA', 'must not start with "-"'],
  ])('reject %s', (_case, id, reason) => {
    expect(clusterIdProblem(id)).toContain(reason);
  });
});
