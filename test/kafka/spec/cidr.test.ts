import { formatCidr, nthSubnet, parseCidr, subnetCapacity, usableAwsAddresses } from '../../../constructs/kafka/spec/cidr';

describe('CIDR arithmetic', () => {
  it('parses and formats a network', () => {
    const vpc = parseCidr('10.30.0.0/16');
    expect(typeof vpc).toBe('object');
    expect(formatCidr(vpc as Exclude<typeof vpc, string>)).toBe('10.30.0.0/16');
  });

  it.each([
    ['10.30.0.0', 'must be an IPv4 CIDR'],
    ['10.30.0.256/24', 'has an octet above 255'],
    ['10.30.0.0/33', 'has a prefix length above 32'],
    ['10.30.7.0/20', 'has host bits set (did you mean 10.30.0.0/20?)'],
  ])('rejects %s', (text, reason) => {
    expect(parseCidr(text)).toContain(reason);
  });

  it('carves consecutive subnets per zone from the start of the VPC', () => {
    const vpc = parseCidr('10.30.0.0/16') as Exclude<ReturnType<typeof parseCidr>, string>;
    expect([0, 1, 2].map((index) => formatCidr(nthSubnet(vpc, 20, index)))).toEqual(['10.30.0.0/20', '10.30.16.0/20', '10.30.32.0/20']);
    expect(subnetCapacity(vpc, 20)).toBe(16);
    expect(subnetCapacity(vpc, 15)).toBe(0);
    expect(() => nthSubnet(vpc, 20, 16)).toThrow(RangeError);
  });

  it('handles addresses above 2^31 without sign errors', () => {
    const vpc = parseCidr('192.168.0.0/16') as Exclude<ReturnType<typeof parseCidr>, string>;
    expect(formatCidr(nthSubnet(vpc, 24, 255))).toBe('192.168.255.0/24');
  });

  it('knows AWS reserves five addresses per subnet', () => {
    expect(usableAwsAddresses(28)).toBe(11);
    expect(usableAwsAddresses(24)).toBe(251);
  });
});
