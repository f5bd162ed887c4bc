/**
 * vCPUs and memory of the EC2 instance types Kafka is usually run on, so that JVM heap and thread counts can be
 * derived from an instance type alone. Extend the table to use another type.
 */
export interface InstanceShape {
  /** vCPUs of the instance type. */
  readonly cpu: number;
  /** Memory of the instance type in GiB. */
  readonly memoryGiB: number;
}

const SIZES: Record<string, number> = { large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64 };
// GiB of memory per vCPU in each family.
const FAMILIES: Record<string, number> = {
  m5: 4, m6i: 4, m6g: 4, m7i: 4, m7g: 4, m8g: 4,
  r5: 8, r6i: 8, r6g: 8, r7i: 8, r7g: 8, r8g: 8,
  c6i: 2, c7i: 2, c7g: 2,
  i4i: 8, i4g: 8, im4gn: 4, is4gen: 6,
};
const SMALL: Record<string, InstanceShape> = {
  't3.medium': { cpu: 2, memoryGiB: 4 },
  't3.large': { cpu: 2, memoryGiB: 8 },
  't3.xlarge': { cpu: 4, memoryGiB: 16 },
  't4g.medium': { cpu: 2, memoryGiB: 4 },
  't4g.large': { cpu: 2, memoryGiB: 8 },
  'm7g.medium': { cpu: 1, memoryGiB: 4 },
  'r7g.medium': { cpu: 1, memoryGiB: 8 },
};

/** vCPUs and memory of `instanceType` (`r6i.xlarge`), or undefined when the table does not know the type. */
export function instanceShape(instanceType: string): InstanceShape | undefined {
  if (SMALL[instanceType]) return SMALL[instanceType];
  const [family, size] = instanceType.split('.');
  const perCpu = FAMILIES[family];
  const cpu = SIZES[size];
  if (perCpu === undefined || cpu === undefined) return undefined;
  return { cpu, memoryGiB: cpu * perCpu };
}
