import { z } from 'zod';

/** IPv4 CIDR arithmetic for laying out one subnet per zone, and the one CIDR parser every CIDR field uses. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  /** Number of leading network bits, 0–32 (`/24` is 24). */
  readonly prefixLength: number;
}

// Decimal octets and prefix without leading zeros: Terraform's cidr functions and Go's parser reject `010.0.0.0/8`.
const NUMBER = '(0|[1-9]\\d{0,2})';
const CIDR_PATTERN = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}\\.${NUMBER}\\/(0|[1-9]\\d?)$`);

/** Parses `a.b.c.d/n`; returns a reason string instead of throwing so validation can collect it. */
export function parseCidr(text: string): Ipv4Cidr | string {
  const match = CIDR_PATTERN.exec(text);
  if (!match) {
    return /(^|[./])0\d/.test(text)
      ? 'has a leading zero (write 10.0.0.0/8, not 010.0.0.0/08)'
      : 'must be an IPv4 CIDR such as 10.0.0.0/16';
  }
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255)) return 'has an octet above 255';
  if (prefixLength > 32) return 'has a prefix length above 32';
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const base = networkAddress(address, prefixLength);
  if (base !== address) {
    return `has host bits set (did you mean ${formatCidr({ base, prefixLength })}?)`;
  }
  return { base, prefixLength };
}

function networkAddress(address: number, prefixLength: number): number {
  const blockSize = 2 ** (32 - prefixLength);
  return Math.floor(address / blockSize) * blockSize;
}

/** `a.b.c.d/n` of a parsed CIDR: the inverse of {@link parseCidr}. */
export function formatCidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefixLength}`;
}

/** How many subnets of `prefixLength` fit in `parent`. */
export function subnetCapacity(parent: Ipv4Cidr, prefixLength: number): number {
  return prefixLength < parent.prefixLength ? 0 : 2 ** (prefixLength - parent.prefixLength);
}

/** The `index`-th subnet of `prefixLength` inside `parent`, counting from its start. */
export function nthSubnet(parent: Ipv4Cidr, prefixLength: number, index: number): Ipv4Cidr {
  if (index < 0 || index >= subnetCapacity(parent, prefixLength)) {
    throw new RangeError(`subnet ${index} of /${prefixLength} does not fit in ${formatCidr(parent)}`);
  }
  return { base: parent.base + index * 2 ** (32 - prefixLength), prefixLength };
}

/** Addresses a node can use in an AWS subnet: AWS reserves the first four and the last one. */
export function usableAwsAddresses(prefixLength: number): number {
  return 2 ** (32 - prefixLength) - 5;
}

/** A CIDR field: parsed as an address (octets ≤ 255, prefix ≤ 32, no leading zeros, no host bits). */
export const ipv4Cidr = z.string().superRefine((text, context) => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed, input: text });
});
