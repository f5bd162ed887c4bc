import { configRiskDangers } from './config-risks';
import { type Danger, type DangerRule, listOf, objectName } from './danger';
import { equalJson } from '../json-diff';
import type { ResourceChange } from '../terraform/terraform-diff';

const OPEN_WORLD = new Set(['0.0.0.0/0', '::/0']);

function ruleText(config: Record<string, any>): string {
  const source = config.cidr_ipv4 ?? config.cidr_ipv6 ?? config.prefix_list_id ?? (config.referenced_security_group_id ? 'a security group' : '?');
  const ports = config.ip_protocol === '-1' ? 'all ports' : config.from_port === config.to_port ? `port ${config.from_port}` : `ports ${config.from_port}-${config.to_port}`;
  return `${source} ${ports}`;
}

function widened(change: ResourceChange): boolean {
  if (change.action === 'create') return true;
  if (change.action === 'delete') return false;
  const before = change.baseConfig ?? {};
  const after = change.config;
  return ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id', 'from_port', 'to_port', 'ip_protocol'].some((key) => !equalJson(before[key], after[key]));
}

/** The environment's own VPC ranges: a rule that follows a changed VPC range opens nothing new. */
function vpcRanges(diff: Parameters<DangerRule>[0]): Set<string> {
  const ranges = new Set<string>();
  for (const document of [...(diff.head?.stacks.values() ?? []), ...(diff.base?.stacks.values() ?? [])]) {
    for (const vpc of Object.values<Record<string, any>>(document.resource?.aws_vpc ?? {})) if (typeof vpc.cidr_block === 'string') ranges.add(vpc.cidr_block);
  }
  return ranges;
}

const securityGroupOpened: DangerRule = (diff) => {
  const ownRanges = new Set([...vpcRanges(diff)].filter((range) => [...(diff.head?.stacks.values() ?? [])].some((document) => JSON.stringify(document.resource?.aws_vpc ?? {}).includes(`"${range}"`))));
  return diff.terraform
    .filter((change) => (change.type === 'aws_vpc_security_group_ingress_rule' || change.type === 'aws_vpc_security_group_egress_rule') && widened(change))
    .filter((change) => !ownRanges.has(change.config.cidr_ipv4))
    .filter((change) => change.type === 'aws_vpc_security_group_ingress_rule' || OPEN_WORLD.has(change.config.cidr_ipv4 ?? change.config.cidr_ipv6))
    .map((change) => {
      const world = OPEN_WORLD.has(change.config.cidr_ipv4 ?? change.config.cidr_ipv6);
      const direction = change.type.endsWith('ingress_rule') ? 'admits' : 'allows out to';
      return {
        category: 'security' as const,
        rule: world ? 'security-group-open-to-internet' : 'security-group-opened',
        what: `security group rule ${change.action === 'create' ? 'added' : 'widened'}: ${direction} ${ruleText(change.config)}${world ? ' — the whole internet' : ''}`,
        where: `${change.stack}: ${change.address}${change.config.description ? ` (“${change.config.description}”)` : ''}`,
        why: world ? 'anything on the internet that routes to the VPC reaches the port' : 'more networks reach the Kafka nodes: check the range is only the intended clients',
        instead: world ? 'admit only the client networks (aws.clientCidrs) or the clients security group' : 'prefer the clients security group for clients inside the VPC; keep CIDRs to peered client networks you control',
      };
    });
};

function peers(policy: Record<string, any> | undefined, direction: 'ingress' | 'egress', ownRanges: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const rule of policy?.spec?.[direction] ?? []) {
    const ports = JSON.stringify(rule.ports ?? 'all ports');
    const list = rule[direction === 'ingress' ? 'from' : 'to'];
    if (!Array.isArray(list) || list.length === 0) out.add(`anywhere on ${ports}`);
    // The environment's own VPC range under another value is the same peer: a changed VPC range opens nothing.
    else for (const peer of list) out.add(`${[...ownRanges].reduce((text, range) => text.split(`"${range}"`).join('"the VPC range"'), JSON.stringify(peer))} on ${ports}`);
  }
  return out;
}

const networkPolicyOpened: DangerRule = (diff) => {
  const ownRanges = vpcRanges(diff);
  return diff.kubernetes
    .filter((change) => change.kind === 'NetworkPolicy' && change.action !== 'add')
    .flatMap((change) => {
      if (change.action === 'remove') {
        return [{ category: 'security' as const, rule: 'network-policy-opened', what: 'a NetworkPolicy is removed', where: `${diff.environment}: ${objectName(change)} (${change.file})`, why: 'the traffic it admitted or denied is governed by the remaining policies: removing the default deny opens every pod', instead: 'keep the policy; narrow it instead of deleting it' }];
      }
      const added = (['ingress', 'egress'] as const).flatMap((direction) => {
        const before = peers(change.before, direction, ownRanges);
        return [...peers(change.after, direction, ownRanges)].filter((peer) => !before.has(peer)).map((peer) => `${direction} ${peer}`);
      });
      const typesDropped = (change.before?.spec?.policyTypes ?? []).filter((type: string) => !(change.after?.spec?.policyTypes ?? []).includes(type));
      if (added.length === 0 && typesDropped.length === 0) return [];
      return [{ category: 'security' as const, rule: 'network-policy-opened', what: `NetworkPolicy admits more: ${listOf([...added, ...typesDropped.map((type: string) => `policy type ${type} dropped`)], 4)}`, where: `${diff.environment}: ${objectName(change)} (${change.file})`, why: 'more pods or networks reach the Kafka pods', instead: 'admit only the namespaces and pods that are clients (security.network.clients)' }];
    });
};

const ENCRYPTION_KEYS = ['encrypted', 'kms_key_id', 'root_block_device.encrypted', 'root_block_device.kms_key_id', 'enable_key_rotation', 'encrypt'];

const encryptionRemoved: DangerRule = (diff) =>
  diff.terraform
    .filter((change) => change.action === 'update' || change.action === 'replace')
    .flatMap((change) => {
      const lost = change.attributes.filter((attribute) => {
        const key = attribute.path.replace(/\[[^\]]*\]/g, '');
        const relevant = ENCRYPTION_KEYS.includes(key) || /\.ebs\.(encrypted|kms_key_id)$/.test(key);
        return relevant && !attribute.knownAfterApply && attribute.before !== undefined && attribute.before !== false && (attribute.after === undefined || attribute.after === false || attribute.after === null);
      });
      return lost.length === 0 ? [] : [{ category: 'security' as const, rule: 'encryption-removed', what: `encryption removed: ${lost.map((attribute) => attribute.path).join(', ')}`, where: `${change.stack}: ${change.address}`, why: 'data at rest is then stored unencrypted or with the AWS default key, outside the key policy', instead: 'keep encryption with the environment’s KMS key' }];
    });

function statements(document: Record<string, any> | undefined): string[] {
  return (document?.statement ?? []).map((statement: unknown) => JSON.stringify(statement));
}

const iamWidened: DangerRule = (diff) => {
  const dangers: Danger[] = [];
  for (const [stack, head] of diff.head?.stacks ?? new Map()) {
    const base = diff.base?.stacks.get(stack);
    if (!base) continue;
    for (const [name, document] of Object.entries<Record<string, any>>(head.data?.aws_iam_policy_document ?? {})) {
      const old = base.data?.aws_iam_policy_document?.[name];
      if (!old) continue;
      const before = new Set(statements(old));
      const added = statements(document).filter((statement) => !before.has(statement));
      if (added.length === 0) continue;
      const actions = added.flatMap((statement) => [].concat(JSON.parse(statement).actions ?? []));
      dangers.push({ category: 'security', rule: 'iam-widened', what: `IAM policy document gains ${added.length} statement(s)${actions.length > 0 ? `: ${listOf(actions, 5)}` : ''}`, where: `${stack}: data.aws_iam_policy_document.${name}`, why: 'the roles using it may do more than before', instead: 'grant the narrowest actions on the narrowest resources; explain the need in the pull request' });
    }
  }
  for (const change of diff.terraform.filter((candidate) => candidate.type === 'aws_iam_role_policy_attachment' && candidate.action === 'create')) {
    const roleExisted = diff.base?.stacks.get(change.stack) && JSON.stringify(diff.base.stacks.get(change.stack)).includes(String(change.config.role).replace(/\.name\}$|\.id\}$/, ''));
    if (!roleExisted) continue;
    dangers.push({ category: 'security', rule: 'iam-widened', what: `managed policy attached: ${change.config.policy_arn}`, where: `${change.stack}: ${change.address}`, why: 'an existing role gains every permission of the policy', instead: 'attach the narrowest managed policy, or an inline policy with only what is needed' });
  }
  return dangers;
};

const EXPOSED_TYPES = new Set(['LoadBalancer', 'NodePort']);

const serviceExposed: DangerRule = (diff) =>
  diff.kubernetes
    .filter((change) => (change.kind === 'Service' && change.action !== 'remove' && EXPOSED_TYPES.has(change.after?.spec?.type) && !(change.action === 'change' && EXPOSED_TYPES.has(change.before?.spec?.type))) || (change.kind === 'Ingress' && change.action === 'add'))
    .map((change) => ({ category: 'security' as const, rule: 'service-exposed', what: change.kind === 'Ingress' ? 'an Ingress is added' : `a Service of type ${change.after?.spec?.type} exposes ports outside the cluster`, where: `${diff.environment}: ${objectName(change)} (${change.file})`, why: 'clients outside the cluster reach it: the listener behind it must have TLS and authentication', instead: 'expose only the external listener (kafka.listeners.external), with loadBalancerSourceRanges limited to the client networks' }));

export const SECURITY_RULES: readonly DangerRule[] = [configRiskDangers('security'), securityGroupOpened, networkPolicyOpened, encryptionRemoved, iamWidened, serviceExposed];
