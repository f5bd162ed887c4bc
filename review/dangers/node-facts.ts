import type { NodeChange } from '../kafka-diff';
import type { EnvironmentOutput, KubernetesObject } from '../synth-root';

/** Zones (`broker.rack`) that hold brokers in an output, sorted. */
export function brokerZones(output: EnvironmentOutput | undefined): string[] {
  const zones = new Set<string>();
  for (const node of output?.nodes.values() ?? []) {
    const rack = node.properties.get('broker.rack');
    if (rack && (node.properties.get('process.roles') ?? '').includes('broker')) zones.add(rack);
  }
  return [...zones].sort();
}

export function nodeLabel(node: NodeChange): string {
  return node.nodeId !== undefined ? `${node.node} (node.id ${node.nodeId})` : node.node;
}

/** The cluster id an output formats storage with (Kubernetes start script or VM bootstrap facts). */
export function clusterIds(output: EnvironmentOutput | undefined, objects: readonly KubernetesObject[]): Set<string> {
  const ids = new Set<string>();
  const scan = (text: string) => {
    for (const match of text.matchAll(/--cluster-id\s+'?([A-Za-z0-9_-]{22})'?/g)) ids.add(match[1]);
    for (const match of text.matchAll(/CLUSTER_ID='?([A-Za-z0-9_-]{22})'?/g)) ids.add(match[1]);
  };
  for (const { body } of objects) {
    if (body.kind !== 'StatefulSet') continue;
    const pod = body.spec?.template?.spec ?? {};
    // The format init container gets the id as KAFKA_CLUSTER_ID (constructs/kafka/kubernetes/start-script.ts).
    for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const variable of container.env ?? []) if (variable.name === 'KAFKA_CLUSTER_ID' && typeof variable.value === 'string') ids.add(variable.value);
    }
    scan(JSON.stringify(body.spec?.template ?? {}));
  }
  for (const text of output?.cloudInit.values() ?? []) scan(text);
  return ids;
}
