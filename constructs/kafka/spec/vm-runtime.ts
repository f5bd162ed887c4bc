import { z } from 'zod';
import { dnsDomain } from './common';

/** Options of environments whose Kafka runs on EC2 VMs (Terraform). */
export const vmRuntimeSchema = z.strictObject({
  kind: z.literal('vm'),
  /** Private Route53 zone holding one record per node. @default '<clusterName>.<env>.internal' */
  dnsZone: dnsDomain.optional(),
});
