import { parseProperties } from '../config/properties-file';

/**
 * What happens to a cluster when one availability zone disappears, computed from the synthesized Kubernetes
 * objects themselves (StatefulSets and the config ConfigMap as plain JSON), not from the spec: a bug in any
 * construct between the model and the manifests shows up here.
 */

const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** A broker pod as the manifests place it. */
export interface PlacedBroker {
  /** Pod name, `<StatefulSet>-<ordinal>`. */
  readonly pod: string;
  /** The zone its StatefulSet's required node affinity pins it to. */
  readonly zone: string;
  /** `node.id` of the config the pod loads. */
  readonly nodeId: number;
  /** `broker.rack` of the config the pod loads. */
  readonly rack: string;
}

/** Where the manifests let the scheduler put the controllers. */
export interface ControllerPlacement {
  /** Replicas of the controller StatefulSet: the number of voters. */
  readonly count: number;
  /** Zones the required node affinity allows. */
  readonly zones: readonly string[];
  /**
   * maxSkew of a DoNotSchedule zone spread constraint.
   * @default - no such constraint: nothing stops the controllers sharing a zone
   */
  readonly maxSkew?: number;
}

/** Everything about a cluster's placement that decides what a zone loss does, read from its manifests. */
export interface ClusterPlacement {
  /** Where the controllers may be scheduled. */
  readonly controllers: ControllerPlacement;
  /** Every broker pod with its zone, node id and rack. */
  readonly brokers: readonly PlacedBroker[];
  /** `default.replication.factor` of the brokers' config. */
  readonly replicationFactor: number;
  /** `min.insync.replicas` of the brokers' config. */
  readonly minInsyncReplicas: number;
}

/** What losing one zone does to the quorum and to acks=all writes, in the worst placement the manifests allow. */
export interface ZoneLossOutcome {
  /** The zone that is lost. */
  readonly lostZone: string;
  /** Voters left in the worst placement the scheduler may choose. */
  readonly controllersLeft: number;
  /** Voters a KRaft quorum of this size needs to elect a leader: `floor(count / 2) + 1`. */
  readonly controllerMajority: number;
  /** Whether `controllersLeft` is still a majority, so metadata changes (and the cluster) go on. */
  readonly quorumSurvives: boolean;
  /** Replicas left of the worst partition placement rack-aware assignment allows. */
  readonly fewestReplicasLeft: number;
  /** Every allowed placement keeps at least min.insync.replicas replicas: acks=all writes continue. */
  readonly writesContinue: boolean;
  /** How many replica placements were examined. */
  readonly placementsChecked: number;
}

/** A Kubernetes object as plain JSON. */
type Json = Record<string, any>;

function requiredZones(podSpec: Json): string[] {
  const terms: Json[] = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const zones = new Set<string>();
  for (const term of terms) {
    for (const expression of term.matchExpressions ?? []) {
      if (expression.key === ZONE_LABEL && expression.operator === 'In') for (const zone of expression.values) zones.add(zone);
    }
  }
  return [...zones];
}

/** Reads the placement out of a chart's objects (as `chart.toJson()` or the parsed YAML gives them). */
export function placementFromManifests(objects: readonly Json[]): ClusterPlacement {
  const configMap = objects.find((object) => object.kind === 'ConfigMap' && typeof object.metadata?.name === 'string' && object.metadata.name.endsWith('-config'));
  if (!configMap) throw new Error('no <cluster>-config ConfigMap among the objects');
  const configOf = (pod: string): Map<string, string> => {
    const text = configMap.data?.[`${pod}.properties`];
    if (typeof text !== 'string') throw new Error(`the ConfigMap has no config for pod ${pod}`);
    return parseProperties(text);
  };
  const sets = objects.filter((object) => object.kind === 'StatefulSet');
  const role = (set: Json) => set.spec.template.metadata.labels['app.kubernetes.io/component'];
  const controllerSets = sets.filter((set) => role(set) === 'controller');
  if (controllerSets.length !== 1) throw new Error(`expected one controller StatefulSet, found ${controllerSets.length}`);
  const [controllerSet] = controllerSets;
  const spread = (controllerSet.spec.template.spec.topologySpreadConstraints ?? []).find(
    (constraint: Json) => constraint.topologyKey === ZONE_LABEL && constraint.whenUnsatisfiable === 'DoNotSchedule',
  );
  const brokers: PlacedBroker[] = sets
    .filter((set) => role(set) === 'broker')
    .flatMap((set) => {
      const zones = requiredZones(set.spec.template.spec);
      if (zones.length !== 1) throw new Error(`broker StatefulSet ${set.metadata.name} is pinned to ${zones.length} zones, not one`);
      return Array.from({ length: set.spec.replicas }, (_, ordinal) => {
        const pod = `${set.metadata.name}-${ordinal}`;
        const config = configOf(pod);
        return { pod, zone: zones[0], nodeId: Number(config.get('node.id')), rack: config.get('broker.rack') ?? '' };
      });
    });
  const anyBroker = brokers[0] ? configOf(brokers[0].pod) : undefined;
  return {
    controllers: {
      count: controllerSet.spec.replicas,
      zones: requiredZones(controllerSet.spec.template.spec),
      ...(spread ? { maxSkew: spread.maxSkew } : {}),
    },
    brokers,
    replicationFactor: Number(anyBroker?.get('default.replication.factor') ?? 0),
    minInsyncReplicas: Number(anyBroker?.get('min.insync.replicas') ?? 0),
  };
}

/**
 * Most controllers the scheduler may put in one zone. With a zone spread of maxSkew s over z zones (and minDomains
 * = z, so every zone counts), per-zone counts differ by at most s, so the fullest zone holds at most
 * floor((n + (z - 1)·s) / z). Without a spread constraint nothing stops all of them sharing a zone.
 */
export function mostControllersInOneZone(controllers: ControllerPlacement): number {
  const { count, zones, maxSkew } = controllers;
  if (maxSkew === undefined || zones.length <= 1) return count;
  return Math.min(count, Math.floor((count + (zones.length - 1) * maxSkew) / zones.length));
}

/** Every set of `size` brokers, as index lists (lexicographic). */
function* combinations(count: number, size: number, start = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === size) {
    yield [...chosen];
    return;
  }
  for (let index = start; index <= count - (size - chosen.length); index++) {
    chosen.push(index);
    yield* combinations(count, size, index + 1, chosen);
    chosen.pop();
  }
}

/**
 * Removes every pod of `lostZone` and checks the quorum and every replica placement Kafka's rack-aware assignment
 * may produce: replicas on distinct brokers, no rack holding more than ceil(RF / racks) of them.
 */
export function simulateZoneLoss(placement: ClusterPlacement, lostZone: string): ZoneLossOutcome {
  const { controllers, brokers, replicationFactor: rf, minInsyncReplicas } = placement;
  const controllersLost = controllers.zones.includes(lostZone) ? mostControllersInOneZone(controllers) : 0;
  const controllersLeft = controllers.count - controllersLost;
  const controllerMajority = Math.floor(controllers.count / 2) + 1;
  const racks = new Set(brokers.map((broker) => broker.rack));
  const perRackLimit = Math.ceil(rf / Math.max(1, racks.size));
  let fewestReplicasLeft = rf;
  let placementsChecked = 0;
  for (const replicas of combinations(brokers.length, rf)) {
    const perRack = new Map<string, number>();
    for (const index of replicas) perRack.set(brokers[index].rack, (perRack.get(brokers[index].rack) ?? 0) + 1);
    if ([...perRack.values()].some((count) => count > perRackLimit)) continue;
    placementsChecked++;
    // A replica is lost with its pod, i.e. with the zone the pod runs in, whatever its rack label claims.
    const left = replicas.filter((index) => brokers[index].zone !== lostZone).length;
    fewestReplicasLeft = Math.min(fewestReplicasLeft, left);
  }
  return {
    lostZone,
    controllersLeft,
    controllerMajority,
    quorumSurvives: controllersLeft >= controllerMajority,
    fewestReplicasLeft,
    writesContinue: placementsChecked > 0 && fewestReplicasLeft >= minInsyncReplicas,
    placementsChecked,
  };
}

/** The outcome of losing each zone in turn (every zone a broker or controller may run in). */
export function zoneLossReport(placement: ClusterPlacement): ZoneLossOutcome[] {
  const zones = [...new Set([...placement.controllers.zones, ...placement.brokers.map((broker) => broker.zone)])].sort();
  return zones.map((zone) => simulateZoneLoss(placement, zone));
}
