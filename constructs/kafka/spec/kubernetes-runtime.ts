import { z } from 'zod';
import { dnsDomain, dnsLabel } from './common';

/** Options of environments whose Kafka runs on Kubernetes (cdk8s manifests). */
export const kubernetesRuntimeSchema = z.strictObject({
  kind: z.literal('kubernetes'),
  /** Namespace of every Kafka object. @default 'kafka' */
  namespace: dnsLabel.default('kafka'),
  /** The cluster's DNS domain. @default 'cluster.local' */
  clusterDomain: dnsDomain.default('cluster.local'),
});
