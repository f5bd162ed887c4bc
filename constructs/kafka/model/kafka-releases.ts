/**
 * Digests of the Kafka release tarballs (`kafka_2.13-<version>.tgz`) this package vouches for, so that a VM never
 * trusts a checksum fetched from the host that served the tarball. Each digest was taken from a package manager that
 * verifies the tarball at build time, named per entry; a version not listed here needs its own
 * `runtime.kafkaDistribution.sha512` (from Apache's `.sha512` file, checked against Apache's KEYS signature).
 * Adding a release: add its digest with its source, and a Kafka image tag test if the Kubernetes default changes.
 */
export type DigestAlgorithm = 'sha256' | 'sha512';

export interface PinnedDigest {
  readonly algorithm: DigestAlgorithm;
  /** Lower-case hex. */
  readonly hex: string;
  /** Where the digest comes from. */
  readonly source: string;
}

export const KAFKA_RELEASE_DIGESTS: Readonly<Record<string, PinnedDigest>> = {
  '4.0.0': {
    algorithm: 'sha256',
    hex: '7b852e938bc09de10cd96eca3755258c7d25fb89dbdd76305717607e1835e2aa',
    source: 'Homebrew/homebrew-core Formula/k/kafka.rb (kafka 4.0.0)',
  },
  '4.1.1': {
    algorithm: 'sha256',
    hex: '791e8ee6996982d8055829367a80391f94c1bca7329b2fbb658bfc211a77472e',
    source: 'NixOS/nixpkgs apache-kafka 4.1.1 (sha256-eR6O5plpgtgFWCk2eoA5H5TBvKcymy+7ZYv8IRp3Ry4=)',
  },
};

/** The digest a node checks the tarball of `version` against: the spec's own SHA-512, else the pinned one. */
export function kafkaReleaseDigest(version: string, specSha512: string | undefined): PinnedDigest | undefined {
  if (specSha512) return { algorithm: 'sha512', hex: specSha512, source: 'runtime.kafkaDistribution.sha512' };
  return KAFKA_RELEASE_DIGESTS[version];
}
