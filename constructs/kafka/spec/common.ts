import { z } from 'zod';

/** Building blocks shared by the spec's parts. */

export const dnsLabel = z
  .string()
  .max(40, 'must be at most 40 characters (it becomes part of DNS names)')
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS label: a-z, 0-9 and "-", starting with a letter');

export const dnsDomain = z
  .string()
  .max(200, 'must be at most 200 characters (node names are prepended to it, and DNS names end at 253)')
  .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS domain such as kafka.prod.internal (labels of at most 63 characters)');

export const port = z.number().int().min(1024, 'must be ≥ 1024 (Kafka runs as non-root)').max(65535, 'must be ≤ 65535');
