import Ajv from 'ajv';

/**
 * JSON schemas of the External Secrets Operator objects we emit (external-secrets.io/v1), written from the ESO CRD
 * reference because no installed package covers them. They cover the fields we use, reject any other field
 * (`additionalProperties: false`, so a typo fails) and enforce ESO's enums and required fields.
 */
const name = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', maxLength: 253 };
const labels = { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } };
const metadata = {
  type: 'object',
  required: ['name'],
  properties: { name, namespace: name, labels, annotations: { type: 'object', additionalProperties: { type: 'string' } } },
  additionalProperties: false,
};
const goDuration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' };

export const secretStoreSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'external-secrets.io/v1' },
    kind: { enum: ['SecretStore', 'ClusterSecretStore'] },
    metadata,
    spec: {
      type: 'object',
      required: ['provider'],
      additionalProperties: false,
      properties: {
        provider: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: {
            aws: {
              type: 'object',
              required: ['service'],
              additionalProperties: false,
              properties: {
                service: { enum: ['SecretsManager', 'ParameterStore'] },
                region: { type: 'string', pattern: '^[a-z]{2}(-gov)?-[a-z]+-\\d$' },
                role: { type: 'string' },
                auth: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    jwt: {
                      type: 'object',
                      additionalProperties: false,
                      properties: { serviceAccountRef: { type: 'object', required: ['name'], additionalProperties: false, properties: { name, namespace: name } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  additionalProperties: false,
} as const;

export const externalSecretSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'external-secrets.io/v1' },
    kind: { const: 'ExternalSecret' },
    metadata,
    spec: {
      type: 'object',
      required: ['secretStoreRef', 'data'],
      additionalProperties: false,
      properties: {
        refreshInterval: goDuration,
        secretStoreRef: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name, kind: { enum: ['SecretStore', 'ClusterSecretStore'] } },
        },
        target: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name,
            creationPolicy: { enum: ['Owner', 'Orphan', 'Merge', 'None'] },
            deletionPolicy: { enum: ['Delete', 'Merge', 'Retain'] },
            template: {
              type: 'object',
              additionalProperties: false,
              properties: { type: { type: 'string' }, metadata: { type: 'object', additionalProperties: false, properties: { labels, annotations: labels } } },
            },
          },
        },
        data: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['secretKey', 'remoteRef'],
            additionalProperties: false,
            properties: {
              secretKey: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$' },
              remoteRef: {
                type: 'object',
                required: ['key'],
                additionalProperties: false,
                properties: { key: { type: 'string', minLength: 1 }, property: { type: 'string' }, version: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  },
  additionalProperties: false,
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = { SecretStore: ajv.compile(secretStoreSchema), ClusterSecretStore: ajv.compile(secretStoreSchema), ExternalSecret: ajv.compile(externalSecretSchema) };

/** Schema errors of an External Secrets object; undefined when the kind is not one of ESO's. */
export function externalSecretsErrors(object: { kind?: unknown; [key: string]: unknown }): string[] | undefined {
  const validate = validators[object.kind as keyof typeof validators];
  if (!validate) return undefined;
  return validate(object) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
