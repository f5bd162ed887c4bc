import type { FieldChange } from './json-diff';
import type { Review } from './report';

/**
 * The review for tools: the same facts as the Markdown, in a stable shape (`schemaVersion` 1) and a stable order,
 * without the full resource and object bodies (those are in the synth outputs themselves).
 */

function field(change: FieldChange): Record<string, unknown> {
  return { path: change.path, ...(change.before !== undefined ? { before: change.before } : {}), ...(change.after !== undefined ? { after: change.after } : {}) };
}

export function reviewToJson(review: Review): Record<string, unknown> {
  return {
    schemaVersion: 1,
    dangerCount: review.environments.reduce((sum, environment) => sum + environment.dangers.length, 0),
    environments: review.environments.map((environment) => ({
      environment: environment.environment,
      status: environment.status,
      dangers: environment.dangers,
      notices: environment.notices,
      terraform: {
        plannedStacks: environment.plannedStacks,
        resources: environment.terraform.map((change) => ({
          stack: change.stack,
          address: change.address,
          type: change.type,
          action: change.action,
          source: change.source,
          ...(change.createBeforeDestroy ? { createBeforeDestroy: true } : {}),
          ...(change.preventDestroy ? { preventDestroy: true } : {}),
          attributes: change.attributes.map((attribute) => ({
            ...field(attribute),
            forcesReplacement: attribute.forcesReplacement,
            ...(attribute.ignored ? { ignored: true } : {}),
            ...(attribute.knownAfterApply ? { knownAfterApply: true } : {}),
          })),
        })),
      },
      kubernetes: environment.kubernetes.map((change) => ({
        action: change.action,
        kind: change.kind,
        ...(change.namespace ? { namespace: change.namespace } : {}),
        name: change.name,
        file: change.file,
        fields: change.fields.map(field),
      })),
      kafka: {
        ...(environment.kafka.versionBefore ? { versionBefore: environment.kafka.versionBefore } : {}),
        ...(environment.kafka.versionAfter ? { versionAfter: environment.kafka.versionAfter } : {}),
        replicationFactor: environment.kafka.replicationFactor,
        minInsyncReplicas: environment.kafka.minInsyncReplicas,
        nodes: environment.kafka.nodes
          .filter((node) => node.status !== 'unchanged' || node.restart)
          .map((node) => ({
            node: node.node,
            role: node.role,
            ...(node.nodeId !== undefined ? { nodeId: node.nodeId } : {}),
            ...(node.rack ? { rack: node.rack } : {}),
            status: node.status,
            keys: node.keys,
            restarts: node.restart !== undefined,
            ...(node.restart ? { restart: node.restart } : {}),
          })),
        roll: environment.kafka.roll,
      },
      access: environment.access,
      topology: { base: environment.topology.base !== undefined, head: environment.topology.head !== undefined },
    })),
  };
}

export function renderJson(review: Review): string {
  return `${JSON.stringify(reviewToJson(review), null, 2)}\n`;
}
