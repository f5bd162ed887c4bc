import { describeAcl, hasAccessChanges } from './access-diff';
import type { Danger } from './dangers';
import type { FieldChange } from './json-diff';
import type { NodeChange, RestartMechanism } from './kafka-diff';
import type { EnvironmentReview, Review } from './report';
import type { AttributeChange, ResourceChange } from './terraform/terraform-diff';

/**
 * The review as a pull-request comment: a summary table, then per environment the dangers first, the topology
 * before and after, and the Terraform, Kubernetes, Kafka and access changes. Deterministic: the same review
 * renders to the same bytes. The first line is a marker the workflow uses to find and update its own comment.
 */

export const COMMENT_MARKER = '<!-- kafka-typed-infra:review -->';

const CATEGORY_TITLE: Readonly<Record<Danger['category'], string>> = {
  'data-loss': 'data loss',
  availability: 'availability',
  irreversible: 'irreversible',
  security: 'security',
};

const ACTION_SYMBOL: Readonly<Record<ResourceChange['action'], string>> = { create: '+ create', update: '~ update', replace: '-/+ replace', delete: '- destroy' };

const MECHANISM_TEXT: Readonly<Record<RestartMechanism, string>> = {
  'kubernetes-rolling-update': 'Kubernetes (RollingUpdate)',
  roller: 'roller CronJob, one node at a time, in sync first',
  'manual-pod-delete': 'by hand: delete the pod (OnDelete)',
  'terraform-replace': 'Terraform replaces the instance',
  'terraform-stop-start': 'Terraform stops and starts the instance',
  'manual-instance-replace': 'by hand: terraform apply -replace',
  'node-group-roll': 'EKS replaces its node (node group roll; see the availability item)',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  const clean = text.replace(/`/g, "'");
  return `\`${clean}\``;
}

/** A value short enough for a table cell; long texts and objects are summarised. */
export function shortValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string' && value.includes('\n')) return `(${value.split('\n').length} lines)`;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** For two long strings, what differs: changed lines of a text, changed items of a list, or the differing middle. */
export function stringChange(before: string, after: string): [string, string] | undefined {
  if (before.includes('\n') || after.includes('\n')) {
    const [old, fresh] = [before.split('\n'), after.split('\n')];
    const oldSet = new Set(old);
    const freshSet = new Set(fresh);
    const removed = old.filter((line) => !freshSet.has(line));
    const added = fresh.filter((line) => !oldSet.has(line));
    const first = (lines: string[]) => (lines.length === 0 ? '' : `${shortValue(lines[0].trim())}${lines.length > 1 ? ` (+${lines.length - 1} lines)` : ''}`);
    return [`-${removed.length} line(s): ${first(removed)}`, `+${added.length} line(s): ${first(added)}`];
  }
  for (const separator of [',', ';']) {
    if (before.includes(separator) && after.includes(separator)) {
      const [old, fresh] = [before.split(separator), after.split(separator)];
      const removed = old.filter((item) => !fresh.includes(item));
      const added = fresh.filter((item) => !old.includes(item));
      if (removed.length + added.length > 0 && removed.length + added.length < old.length + fresh.length) {
        return [removed.length > 0 ? `-${shortValue(removed.join(separator))}` : '(kept)', added.length > 0 ? `+${shortValue(added.join(separator))}` : '(nothing added)'];
      }
    }
  }
  if (before.length <= 60 && after.length <= 60) return undefined;
  let prefix = 0;
  while (prefix < before.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const middle = (text: string) => `${prefix > 0 ? '…' : ''}${text.slice(prefix, text.length - suffix)}${suffix > 0 ? '…' : ''}`;
  return [shortValue(middle(before)), shortValue(middle(after))];
}

function fieldText(change: FieldChange | AttributeChange): string {
  const attribute = change as AttributeChange;
  if (typeof change.before === 'string' && typeof change.after === 'string' && !attribute.knownAfterApply) {
    const shown = stringChange(change.before, change.after);
    if (shown) return `${code(change.path)}: ${code(shown[0])} → ${code(shown[1])}${attribute.forcesReplacement ? ' **forces replacement**' : ''}${attribute.ignored ? ' (ignored: lifecycle.ignore_changes)' : ''}`;
  }
  const after = attribute.knownAfterApply ? '(known after apply)' : shortValue(change.after);
  const marks = `${attribute.forcesReplacement ? ' **forces replacement**' : ''}${attribute.ignored ? ' (ignored: lifecycle.ignore_changes)' : ''}`;
  if (change.before === undefined && !attribute.knownAfterApply) return `${code(change.path)} = ${code(after)}${marks}`;
  if (change.after === undefined && !attribute.knownAfterApply) return `${code(change.path)} removed (was ${code(shortValue(change.before))})${marks}`;
  return `${code(change.path)}: ${code(shortValue(change.before))} → ${code(after)}${marks}`;
}

function fieldsText(fields: readonly (FieldChange | AttributeChange)[], limit = 4): string {
  if (fields.length === 0) return '';
  const shown = fields.slice(0, limit).map(fieldText);
  return cell(`${shown.join('<br>')}${fields.length > limit ? `<br>… ${fields.length - limit} more` : ''}`);
}

function collapsible(summary: string, body: string[], open: boolean): string[] {
  return [`<details${open ? ' open' : ''}><summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

function dangerLines(dangers: readonly Danger[]): string[] {
  if (dangers.length === 0) return ['No dangers found.'];
  return dangers.flatMap((danger, index) => [
    `${index + 1}. **[${CATEGORY_TITLE[danger.category]}] ${danger.what}** (${code(danger.rule)})`,
    `   - where: ${danger.where}`,
    `   - why: ${danger.why}`,
    `   - instead: ${danger.instead}${danger.link ? ` ([procedure](${danger.link}))` : ''}`,
  ]);
}

function noticeLines(notices: readonly Danger[]): string[] {
  if (notices.length === 0) return [];
  return ['', '### Notices', '', ...dangerLines(notices)];
}

function topologyLines(environment: EnvironmentReview): string[] {
  const { base, head } = environment.topology;
  if (base === undefined && head === undefined) return [];
  const lines = ['', '### Topology'];
  if (base !== undefined && head !== undefined && base === head) {
    lines.push('', ...collapsible('unchanged', [head.trimEnd()], false));
    return lines;
  }
  lines.push('', ...collapsible('before (base)', [base?.trimEnd() ?? '_no topology.md in the base output_'], false));
  lines.push('', ...collapsible('after (head)', [head?.trimEnd() ?? '_no topology.md in the head output_'], true));
  return lines;
}

function terraformLines(environment: EnvironmentReview): string[] {
  if (environment.terraform.length === 0) return [];
  const counts = (['create', 'update', 'replace', 'delete'] as const).map((action) => `${environment.terraform.filter((change) => change.action === action).length} ${action}`).join(', ');
  const source = environment.plannedStacks.length > 0 ? `from the plan of ${environment.plannedStacks.join(', ')}; predicted elsewhere` : 'predicted from the replacement table';
  const rows = ['| stack | action | address | changed attributes |', '|---|---|---|---|'];
  for (const change of environment.terraform) {
    const note = change.source === 'not-predicted' ? ' (type not in the replacement table: check the plan)' : change.action === 'replace' && change.createBeforeDestroy ? ' (create before destroy)' : '';
    rows.push(`| ${change.stack} | ${ACTION_SYMBOL[change.action]}${note} | ${code(change.address)} | ${fieldsText(change.attributes)} |`);
  }
  return ['', `### Terraform: ${counts} (${source})`, '', ...collapsible(`${environment.terraform.length} resource(s)`, rows, environment.terraform.length <= 20)];
}

function kubernetesLines(environment: EnvironmentReview): string[] {
  if (environment.kubernetes.length === 0) return [];
  const rows = ['| change | object | file | fields |', '|---|---|---|---|'];
  for (const change of environment.kubernetes) {
    rows.push(`| ${change.action} | ${code(`${change.kind} ${change.namespace ? `${change.namespace}/` : ''}${change.name}`)} | ${change.file} | ${fieldsText(change.fields)} |`);
  }
  return ['', `### Kubernetes: ${environment.kubernetes.length} object(s)`, '', ...collapsible(`${environment.kubernetes.length} object(s)`, rows, environment.kubernetes.length <= 20)];
}

function keysText(node: NodeChange): string {
  if (node.status === 'added') return 'new node';
  if (node.status === 'removed') return 'node removed';
  return fieldsText(node.keys.map((key) => ({ path: key.key, ...(key.before !== undefined ? { before: key.before } : {}), ...(key.after !== undefined ? { after: key.after } : {}) })), 3);
}

function kafkaLines(environment: EnvironmentReview): string[] {
  const { kafka } = environment;
  const relevant = kafka.nodes.filter((node) => node.status !== 'unchanged' || node.restart);
  const lines: string[] = [];
  if (kafka.versionBefore !== kafka.versionAfter && kafka.versionBefore && kafka.versionAfter) {
    lines.push('', `Kafka ${kafka.versionBefore} → ${kafka.versionAfter}. After every node runs ${kafka.versionAfter}, raise \`metadata.version\` alone by hand (\`kafka-features.sh upgrade --metadata ${kafka.versionAfter.split('.').slice(0, 2).join('.')}\`), never \`--release-version\` (it also finalizes \`kraft.version\`).`);
  }
  if (relevant.length === 0) return lines.length > 0 ? ['', '### Kafka', ...lines] : [];
  const rows = ['| node | role | zone | change | restarts |', '|---|---|---|---|---|'];
  for (const node of relevant) {
    const restart = node.restart ? `yes: ${MECHANISM_TEXT[node.restart.mechanism]}` : 'no';
    rows.push(`| ${code(node.node)}${node.nodeId !== undefined ? ` (${node.nodeId})` : ''} | ${node.role} | ${node.rack ?? ''} | ${keysText(node)} | ${cell(restart)} |`);
  }
  lines.push('', ...rows);
  const addedBrokers = relevant.filter((node) => node.status === 'added' && node.role === 'broker');
  if (addedBrokers.length > 0) {
    lines.push('', `New brokers start empty: once they run, move partitions onto them (\`kafka-reassign-partitions.sh\`); Kafka does not rebalance by itself.`);
  }
  if (kafka.roll.steps.length > 0) {
    lines.push('', `Roll order (one node at a time; wait for 0 under-replicated partitions between brokers; replication factor ${kafka.replicationFactor}, min.insync.replicas ${kafka.minInsyncReplicas}):`, '');
    for (const step of kafka.roll.steps) lines.push(`${step.step}. ${code(step.node)} (${step.role}${step.rack ? `, ${step.rack}` : ''})`);
    for (const warning of kafka.roll.warnings) lines.push('', `> ${warning}`);
  }
  return ['', '### Kafka', ...lines];
}

function accessLines(environment: EnvironmentReview): string[] {
  const { access } = environment;
  if (!hasAccessChanges(access)) return [];
  const lines = ['', '### Access'];
  const list = (title: string, items: readonly string[], describe: (item: string) => string = (item) => code(item)) => {
    if (items.length > 0) lines.push('', `${title}:`, ...items.map((item) => `- ${describe(item)}`));
  };
  list('Users added', access.usersAdded);
  list('Users removed (their SCRAM credentials are deleted by the reconcile job)', access.usersRemoved);
  list('ACLs added', access.aclsAdded, describeAcl);
  list('ACLs removed', access.aclsRemoved, describeAcl);
  list('Principals newly owned by the reconcile job', access.ownedPrincipalsAdded);
  list('Principals no longer owned by the reconcile job', access.ownedPrincipalsRemoved);
  return lines;
}

function environmentLines(environment: EnvironmentReview): string[] {
  const header = `## ${environment.environment}: ${environment.status}${environment.dangers.length > 0 ? `, ${environment.dangers.length} danger(s)` : ''}${environment.notices.length > 0 ? `, ${environment.notices.length} notice(s)` : ''}`;
  if (environment.status === 'unchanged') return ['', header, '', 'No change.', ...topologyLines(environment)];
  return [
    '',
    header,
    '',
    '### Dangers',
    '',
    ...dangerLines(environment.dangers),
    ...noticeLines(environment.notices),
    ...topologyLines(environment),
    ...terraformLines(environment),
    ...kubernetesLines(environment),
    ...kafkaLines(environment),
    ...accessLines(environment),
  ];
}

export function renderMarkdown(review: Review): string {
  const total = review.environments.reduce((sum, environment) => sum + environment.dangers.length, 0);
  const lines = [
    COMMENT_MARKER,
    '# Kafka change review',
    '',
    total > 0 ? `**${total} danger(s)** — read them before approving.` : 'No dangers found.',
    '',
    '| environment | status | dangers | Terraform | Kubernetes | nodes restarting |',
    '|---|---|---|---|---|---|',
    ...review.environments.map((environment) => `| ${environment.environment} | ${environment.status} | ${environment.dangers.length} | ${environment.terraform.length} | ${environment.kubernetes.length} | ${environment.kafka.nodes.filter((node) => node.restart).length} |`),
    ...review.environments.flatMap(environmentLines),
  ];
  return `${lines.join('\n')}\n`;
}
