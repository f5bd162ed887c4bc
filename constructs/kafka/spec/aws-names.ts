import { z } from 'zod';

/** AWS names and limits, so a spec that passes here is not rejected by `terraform apply`. Reusable refinements. */

/** An AWS region code such as eu-west-1 or us-gov-west-1. */
export const awsRegion = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'must be an AWS region such as eu-west-1');

/** IAM role names are at most 64 characters (IAM quotas). */
export const MAX_IAM_ROLE_NAME = 64;
/** Tags per AWS resource. */
export const MAX_TAGS_PER_RESOURCE = 50;
/** Tags this project puts on a resource besides the user's: 3 default tags and up to 4 resource tags (Name, kafka/node-id, kafka/role, kafka/rack). */
export const OWN_TAGS_PER_RESOURCE = 7;
/** Tag keys this project sets itself (provider default tags and per-resource tags). */
export const OWN_TAG_KEYS = ['Name', 'kafka/environment', 'kafka/cluster', 'managed-by', 'kafka/node-id', 'kafka/role', 'kafka/rack'];

const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const tagKey = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters (AWS tag key)')
  .regex(TAG_CHARACTERS, 'must be a valid AWS tag key: letters, digits, spaces and _ . : / = + - @')
  .refine((key) => !key.toLowerCase().startsWith('aws:'), 'must not start with "aws:" (reserved by AWS)')
  .refine((key) => !OWN_TAG_KEYS.includes(key), `is set by this project itself (${OWN_TAG_KEYS.join(', ')})`);
export const tagValue = z.string().max(256, 'must be at most 256 characters (AWS tag value)').regex(TAG_CHARACTERS, 'must be a valid AWS tag value');

/** User tags on every resource: AWS allows 50 per resource, and this project adds up to 7 of its own. */
export const tags = z
  .record(tagKey, tagValue)
  .refine(
    (record) => Object.keys(record).length <= MAX_TAGS_PER_RESOURCE - OWN_TAGS_PER_RESOURCE,
    `must have at most ${MAX_TAGS_PER_RESOURCE - OWN_TAGS_PER_RESOURCE} tags (AWS allows ${MAX_TAGS_PER_RESOURCE} per resource, this project adds up to ${OWN_TAGS_PER_RESOURCE})`,
  );

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * A Secrets Manager secret name or ARN. Its characters are AWS's own set, which also keeps `${` and `%{` (Terraform
 * template syntax) and shell metacharacters out of every file the name reaches.
 */
export const secretsManagerSecret = z
  .string()
  .refine(
    (text) => SECRET_NAME.test(text) || SECRET_ARN.test(text),
    'must be a Secrets Manager secret name (1-512 of A-Z, a-z, 0-9, / _ + = . @ -) or its ARN',
  );
