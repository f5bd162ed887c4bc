import type { RiskCategory } from '../../constructs/kafka/analysis/config-change-risk';
import { type DangerRule, listOf } from './danger';

/** The risks of the nodes' config changes of one category, one danger per finding with the nodes it applies to. */
export function configRiskDangers(category: RiskCategory): DangerRule {
  return (diff) => {
    const byFinding = new Map<string, { risk: (typeof diff.kafka.nodes)[number]['risks'][number]; nodes: string[] }>();
    for (const node of diff.kafka.nodes) {
      for (const risk of node.risks.filter((candidate) => candidate.category === category)) {
        const key = `${risk.rule}\u0000${risk.what}`;
        const entry = byFinding.get(key) ?? { risk, nodes: [] };
        entry.nodes.push(node.node);
        byFinding.set(key, entry);
      }
    }
    const total = diff.kafka.nodes.filter((node) => node.status !== 'added' && node.status !== 'removed').length;
    return [...byFinding.values()].map(({ risk, nodes }) => ({
      category,
      rule: risk.rule,
      what: risk.what,
      where: `${diff.environment}: ${risk.key} on ${nodes.length === total && total > 1 ? `all ${total} nodes` : listOf(nodes)}`,
      why: risk.why,
      instead: risk.instead,
    }));
  };
}
