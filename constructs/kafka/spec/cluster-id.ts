/**
 * Kafka's cluster id is a UUID written as 22 characters of unpadded base64url
 * (what `kafka-storage.sh random-uuid` prints). Storage is formatted with it once; a node whose
 * meta.properties carries another id refuses to start, so the id must be fixed in the spec, never generated.
 */

const BASE64URL_22 = /^[A-Za-z0-9_-]{22}$/;
// 22 base64 characters carry 132 bits; a 16-byte UUID uses 128, so the last character's low 4 bits are zero.
const CANONICAL_LAST_CHARACTER = /[AQgw]$/;
// Kafka reserves the all-zero and the 0...01 UUIDs (Uuid.ZERO_UUID, Uuid.ONE_UUID).
const RESERVED = new Set(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ']);

/** Returns why `clusterId` is not a valid Kafka cluster id, or undefined when it is. */
export function clusterIdProblem(clusterId: string): string | undefined {
  if (!BASE64URL_22.test(clusterId)) {
    return 'must be 22 base64url characters (A-Z, a-z, 0-9, "-", "_"), as printed by `kafka-storage.sh random-uuid`';
  }
  if (!CANONICAL_LAST_CHARACTER.test(clusterId)) {
    return 'does not decode to a 16-byte UUID (its last character must be A, Q, g or w)';
  }
  if (RESERVED.has(clusterId)) return 'is a UUID that Kafka reserves';
  // Kafka never generates ids starting with "-": its command-line tools would read them as options.
  if (clusterId.startsWith('-')) return 'must not start with "-" (Kafka\'s tools would read it as an option)';
  return undefined;
}
