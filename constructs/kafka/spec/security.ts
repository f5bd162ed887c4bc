import { z } from 'zod';

/** TLS certificates, users and ACLs. Listener protocols and authentication live in `kafka.listeners`. */
export const securitySchema = z.strictObject({}).default({});
