import { z } from 'zod';

/** Where the environment lives in AWS and how its network is laid out. */
export const awsSchema = z.strictObject({
  /** AWS region, e.g. eu-west-1. */
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1'),
  /** Availability zones in use; each one is a Kafka rack. Append new zones at the end: order fixes node ids. */
  availabilityZones: z.array(z.string()).min(1, 'must list at least one zone'),
  /** CIDR of the VPC. */
  vpcCidr: z.string(),
  /** Prefix length of each zone's private Kafka subnet, carved from the VPC in zone order. @default 24 */
  subnetPrefixLength: z.number().int().min(16).max(28, 'must be ≤ 28 (the smallest AWS subnet)').default(24),
});

/** Remote Terraform state. */
export const terraformStateSchema = z.strictObject({
  /** S3 bucket holding Terraform state (created outside this project, versioned and encrypted). */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  /** Region of the bucket. @default - the environment's region */
  region: z.string().optional(),
  /** Prefix of every state key; each stack's key is `<keyPrefix>/<stack>.tfstate`. @default - the environment name */
  keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+$/, 'must be an S3 key prefix').optional(),
});
