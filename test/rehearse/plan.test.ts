import { gapExplainingError } from '../../rehearse/emulator-gaps';
import { type PlanJson, changedOutputs, effectiveChanges, plannedChanges, streamedChanges } from '../../rehearse/plan';

type ResourceChange = NonNullable<PlanJson['resource_changes']>[number];

function change(type: string, actions: ResourceChange['change']['actions'], before: Record<string, unknown>, after: Record<string, unknown>, replacePaths?: string[][]): ResourceChange {
  return { address: `${type}.x`, mode: 'managed', type, change: { actions, before, after, after_unknown: {}, ...(replacePaths ? { replace_paths: replacePaths } : {}) } };
}

describe('planned changes', () => {
  it('keeps every real change, with the attributes that change', () => {
    const [vpc] = plannedChanges({ resource_changes: [change('aws_vpc', ['update'], { tags: { a: '1' }, cidr_block: '10.0.0.0/16' }, { tags: { a: '2' }, cidr_block: '10.0.0.0/16' })] });
    expect(vpc).toEqual({ address: 'aws_vpc.x', type: 'aws_vpc', actions: ['update'], replace: false, changedAttributes: ['tags'] });
  });

  it('marks delete-and-create as a replacement', () => {
    const [subnet] = plannedChanges({ resource_changes: [change('aws_subnet', ['delete', 'create'], { cidr_block: 'a' }, { cidr_block: 'b' }, [['cidr_block']])] });
    expect(subnet.replace).toBe(true);
    expect(effectiveChanges([subnet])).toHaveLength(1);
  });

  it('takes out an in-place update the gap list explains (security group rule descriptions read back empty)', () => {
    const [rule] = plannedChanges({ resource_changes: [change('aws_vpc_security_group_egress_rule', ['update'], { description: null, from_port: 443 }, { description: 'HTTPS', from_port: 443 })] });
    expect(rule).toMatchObject({ actions: ['no-op'], replace: false, toleratedGaps: ['security-group-egress-rule-description'] });
    expect(effectiveChanges([rule])).toEqual([]);
  });

  it('does not explain away an unlisted difference on a listed resource type (an unexpected plan difference fails)', () => {
    const [rule] = plannedChanges({
      resource_changes: [change('aws_vpc_security_group_egress_rule', ['update'], { description: null, from_port: 443 }, { description: 'HTTPS', from_port: 8443 })],
    });
    expect(effectiveChanges([rule])).toEqual([rule]);
    expect(rule.changedAttributes).toEqual(['description', 'from_port']);
    expect(rule.toleratedGaps).toBeUndefined();
  });

  it('never explains away a replacement', () => {
    const [rule] = plannedChanges({
      resource_changes: [change('aws_vpc_security_group_egress_rule', ['delete', 'create'], { description: null }, { description: 'HTTPS' }, [['description']])],
    });
    expect(rule.replace).toBe(true);
    expect(effectiveChanges([rule])).toEqual([rule]);
  });

  it('reports changed outputs', () => {
    expect(changedOutputs({ output_changes: { a: { actions: ['no-op'] }, b: { actions: ['update'] } } })).toEqual(['b']);
  });
});

describe('changes streamed by terraform plan -json', () => {
  const message = (addr: string, type: string, action: string) =>
    JSON.stringify({ type: 'planned_change', change: { resource: { addr, resource_type: type }, action } });

  it('maps each planned action, replacements included', () => {
    const stdout = [
      JSON.stringify({ type: 'version' }),
      message('aws_instance.a', 'aws_instance', 'create'),
      message('aws_ebs_volume.b', 'aws_ebs_volume', 'update'),
      message('aws_subnet.c', 'aws_subnet', 'replace'),
      message('aws_route.d', 'aws_route', 'delete'),
      JSON.stringify({ type: 'change_summary', changes: { add: 2, change: 1, remove: 2 } }),
    ].join('\n');
    expect(streamedChanges(stdout)).toEqual([
      { address: 'aws_instance.a', type: 'aws_instance', actions: ['create'], replace: false },
      { address: 'aws_ebs_volume.b', type: 'aws_ebs_volume', actions: ['update'], replace: false },
      { address: 'aws_subnet.c', type: 'aws_subnet', actions: ['delete', 'create'], replace: true },
      { address: 'aws_route.d', type: 'aws_route', actions: ['delete'], replace: false },
    ]);
  });

  it('refuses an action it does not know rather than guessing', () => {
    expect(() => streamedChanges(message('aws_vpc.a', 'aws_vpc', 'teleport'))).toThrow(/planned "teleport" for aws_vpc.a/);
  });
});

describe('apply errors the gap list explains', () => {
  it('names the gap for the emulator error of its resource type only', () => {
    const text = 'waiting for EKS Node Group (c:g) config update (id): operation error EKS: DescribeUpdate, https response error StatusCode: 404';
    expect(gapExplainingError('aws_eks_node_group.g', text)?.name).toBe('eks-describe-update');
    expect(gapExplainingError('aws_instance.i', text)).toBeUndefined();
    expect(gapExplainingError('aws_eks_node_group.g', 'creating EKS Node Group: InvalidParameterException')).toBeUndefined();
  });
});
