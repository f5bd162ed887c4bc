import { z } from 'zod';

/**
 * Names and values as the Kubernetes API server validates them (apimachinery's validation package), so a spec that
 * passes here is never rejected by `kubectl apply`. Reusable refinements: use these for any new field that ends up
 * in a manifest.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** RFC 1123 DNS subdomain (object names such as Issuers, CSI driver prefixes): ≤ 253 characters, dot-separated labels. */
export function isDnsSubdomain(text: string): boolean {
  return text.length >= 1 && text.length <= 253 && text.split('.').every((label) => label.length <= 63 && DNS_LABEL.test(label));
}

/** A qualified name (label and annotation keys, provisioner and load balancer class names): `[prefix/]name`. */
export function qualifiedNameProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  const prefix = slash >= 0 ? text.slice(0, slash) : undefined;
  const name = slash >= 0 ? text.slice(slash + 1) : text;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return 'must have a DNS subdomain prefix (lowercase, ≤ 253 characters) before "/"';
  if (name.length === 0 || name.length > 63) return 'must have a name part of 1 to 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) return 'must have a name part of A-Z, a-z, 0-9, "-", "_", "." that starts and ends alphanumeric';
  return undefined;
}

const refineWith = (problem: (text: string) => string | undefined) => (text: string, context: z.core.$RefinementCtx<string>) => {
  const reason = problem(text);
  if (reason) context.addIssue({ code: 'custom', message: reason, input: text });
};

/** A label or annotation key, e.g. `app.kubernetes.io/name`. */
export const labelKey = z.string().superRefine(refineWith(qualifiedNameProblem));
/** A label value: ≤ 63 characters, alphanumeric at both ends. */
export const labelValue = z
  .string()
  .max(63, 'must be at most 63 characters (a Kubernetes label value)')
  .regex(LABEL_VALUE, 'must be a Kubernetes label value: A-Z, a-z, 0-9, "-", "_", ".", starting and ending alphanumeric');
export const labels = z.record(labelKey, labelValue);

/** Annotation values are free text; the API server limits all of an object's annotations to 256 KiB together. */
export const annotationValue = z.string().max(65536, 'must be at most 64 KiB (Kubernetes limits annotations to 256 KiB per object)');
export const annotations = z.record(labelKey, annotationValue);

/** An object name that must be a DNS subdomain (Issuer, ClusterIssuer, ...). */
export const dnsSubdomainName = z
  .string()
  .refine(isDnsSubdomain, 'must be a Kubernetes object name: lowercase DNS subdomain (a-z, 0-9, "-", "."), at most 253 characters');

/** A qualified name used as an identifier (StorageClass provisioner, Service loadBalancerClass). */
export const qualifiedName = z.string().superRefine(refineWith(qualifiedNameProblem));

// The reference grammar of the distribution project (what container runtimes parse): [domain[:port]/]path[:tag][@digest].
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);

/** Why `text` is not a container image reference a runtime can pull, or undefined. */
export function imageReferenceProblem(text: string): string | undefined {
  const match = IMAGE_REFERENCE.exec(text);
  if (!match) return 'must be an image reference such as registry.example.com/team/image:1.2.3 or image@sha256:<64 hex digits>';
  if (match[1].length > 255) return 'has a repository name longer than 255 characters';
  return undefined;
}
export const imageReference = z.string().superRefine(refineWith(imageReferenceProblem));

// Cron as Kubernetes CronJobs parse it (robfig/cron's standard 5-field parser).
const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;
const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Why `text` is not a 5-field cron schedule that Kubernetes accepts, or undefined. */
export function cronScheduleProblem(text: string): string | undefined {
  if (CRON_DESCRIPTORS.includes(text)) return undefined;
  if (/TZ=/.test(text)) return 'must not set a time zone (CronJob has spec.timeZone for that)';
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) return 'must be a 5-field cron schedule such as "*/5 * * * *"';
  for (const [index, field] of fields.entries()) {
    const spec = CRON_FIELDS[index];
    const names: readonly string[] = 'names' in spec ? spec.names : [];
    const value = (part: string) => {
      const named = names.indexOf(part.toUpperCase());
      if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
      return /^\d{1,2}$/.test(part) ? Number(part) : NaN;
    };
    for (const item of field.split(',')) {
      const match = /^(\*|\?|([^-/]+)(?:-([^-/]+))?)(?:\/(\d{1,2}))?$/.exec(item);
      const low = match?.[2] !== undefined ? value(match[2]) : spec.min;
      const high = match?.[3] !== undefined ? value(match[3]) : low;
      const step = match?.[4] !== undefined ? Number(match[4]) : 1;
      const inRange = (n: number) => Number.isInteger(n) && n >= spec.min && n <= spec.max;
      if (!match || !inRange(low) || !inRange(high) || high < low || step < 1 || (match[1] === '?' && index !== 2 && index !== 4)) {
        return `has ${JSON.stringify(item)} as ${spec.name}, which must lie in ${spec.min}-${spec.max}`;
      }
    }
  }
  return undefined;
}
export const cronSchedule = z.string().superRefine(refineWith(cronScheduleProblem));

const GO_DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Seconds of a Go duration such as `1h30m` (the subset of units our fields use), or undefined when malformed. */
export function goDurationSeconds(text: string): number | undefined {
  if (!/^(\d{1,9}[smh])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smh])/g)) total += Number(amount) * GO_DURATION_UNITS[unit];
  return total;
}

/** A Go duration (`15m`, `1h`) from `minSeconds` up to `maxSeconds`. */
export function goDuration(minSeconds: number, maxSeconds: number) {
  return z.string().superRefine((text, context) => {
    const seconds = goDurationSeconds(text);
    if (seconds === undefined) context.addIssue({ code: 'custom', message: 'must be a duration such as 15m or 1h', input: text });
    else if (seconds < minSeconds || seconds > maxSeconds) {
      context.addIssue({ code: 'custom', message: `must lie between ${minSeconds} s and ${maxSeconds / 3600} h`, input: text });
    }
  });
}
