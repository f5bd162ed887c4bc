/**
 * Plans partition reassignments: after scale-out (new brokers, a new zone) and for a drain (brokers leaving). Pure and
 * deterministic: the same assignment and brokers give the same plan, whatever order they come in.
 *
 * What a plan guarantees, in this order of priority:
 * 1. no replica stays on a broker that is not a target (a draining or removed broker);
 * 2. rack awareness: a partition never gets two replicas in one zone while it has fewer replicas than there are
 *    zones (and at most ceil(RF / zones) per zone otherwise); a move never breaks that, and partitions that break it
 *    today are repaired;
 * 3. balance: every broker ends within its quota, floor or ceil of its fair share. The fair share is the same for all
 *    brokers when the zones are even; with uneven zones a zone cannot hold more than one replica of each partition,
 *    so its share is capped and the rest spread over the other zones (water filling), brokers of one zone staying
 *    within one replica of each other;
 * 4. minimal: a replica moves only from a broker above its quota (or leaving) to one below it, so the number of moves
 *    is the least that reaches the quotas. A moved replica keeps its position in the list, so a partition's
 *    preferred leader moves only when the leader replica itself has to.
 */

export interface PartitionAssignment {
  readonly topic: string;
  readonly partition: number;
  /** Broker ids, preferred leader first. */
  readonly replicas: readonly number[];
}

export interface TargetBroker {
  readonly id: number;
  /** `broker.rack`: the zone. */
  readonly rack: string;
}

export interface ReplicaMove {
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly to: number;
  /** Why: `leaving`, `rack` (repairs the zone spread) or `balance`. */
  readonly reason: 'leaving' | 'rack' | 'balance';
}

export interface ReassignmentPlan {
  readonly moves: readonly ReplicaMove[];
  /** The new replica lists of the partitions that change, in topic/partition order. */
  readonly changed: readonly PartitionAssignment[];
  /** Replicas per broker before and after (leaving brokers included), by broker id. */
  readonly before: Readonly<Record<number, number>>;
  readonly after: Readonly<Record<number, number>>;
  /** Each target broker's [lowest, highest] replica count the plan aims for. */
  readonly quotas: Readonly<Record<number, readonly [number, number]>>;
}

export class ReassignmentPlanError extends Error {}

const byPartition = (a: PartitionAssignment, b: PartitionAssignment) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);

export interface PlanOptions {
  /** Racks of brokers that are leaving but still run (draining), so their replicas may stay in their zone. @default - none known */
  readonly leavingBrokerRacks?: Readonly<Record<number, string>>;
}

/**
 * Plans in two levels, which is what keeps it both rack-aware and minimal: first how many replicas each zone holds
 * (a replica changes zone only when its zone holds more than its share, or must give one up), then, inside each
 * zone, which broker holds them (inside a zone any broker will do, since a partition has one replica per zone).
 */
export function planReassignment(current: readonly PartitionAssignment[], targets: readonly TargetBroker[], options: PlanOptions = {}): ReassignmentPlan {
  if (targets.length === 0) throw new ReassignmentPlanError('no target brokers: nothing could hold the replicas');
  const targetRack = new Map(targets.map((broker) => [broker.id, broker.rack]));
  const ids = [...targetRack.keys()].sort((a, b) => a - b);
  const racks = [...new Set(targets.map((broker) => broker.rack))].sort();
  const brokersOf = new Map(racks.map((rack) => [rack, ids.filter((id) => targetRack.get(id) === rack)]));
  const partitions = [...current].sort(byPartition).map((assignment) => ({ topic: assignment.topic, partition: assignment.partition, replicas: [...assignment.replicas] }));
  for (const assignment of partitions) {
    if (new Set(assignment.replicas).size !== assignment.replicas.length) throw new ReassignmentPlanError(`${assignment.topic}-${assignment.partition} lists a broker twice`);
    if (assignment.replicas.length > ids.length) {
      throw new ReassignmentPlanError(`${assignment.topic}-${assignment.partition} has ${assignment.replicas.length} replicas but only ${ids.length} target brokers`);
    }
  }
  const original = partitions.map((assignment) => [...assignment.replicas]);
  const before = countReplicas(partitions, ids);
  const quotas = brokerQuotas(partitions, targets, racks);
  // The replicas a zone may hold: what its brokers' quotas add up to.
  const zoneRange = new Map(racks.map((rack) => [rack, (brokersOf.get(rack) ?? []).reduce(([low, high], id) => [low + quotas[id][0], high + quotas[id][1]], [0, 0])]));
  const maxPerRack = (assignment: PartitionAssignment) => Math.ceil(assignment.replicas.length / racks.length);
  // A replica's zone: its broker's, if that zone stays; leaving brokers of a removed zone (or unknown) have none.
  const zoneOf = (id: number): string | undefined => {
    const rack = targetRack.get(id) ?? options.leavingBrokerRacks?.[id];
    return rack !== undefined && brokersOf.has(rack) ? rack : undefined;
  };
  const load = new Map(ids.map((id) => [id, 0]));
  for (const assignment of partitions) for (const id of assignment.replicas) if (load.has(id)) load.set(id, (load.get(id) ?? 0) + 1);
  const zoneCount = new Map(racks.map((rack) => [rack, 0]));
  for (const assignment of partitions) for (const id of assignment.replicas) if (zoneOf(id)) zoneCount.set(zoneOf(id) as string, (zoneCount.get(zoneOf(id) as string) ?? 0) + 1);
  const inZone = (assignment: PartitionAssignment, rack: string) => assignment.replicas.filter((id) => zoneOf(id) === rack).length;
  const repaired = new Set<string>();
  /** Puts the replica at `index` of `assignment` on the least loaded broker of `rack` that the partition lacks. */
  const place = (assignment: (typeof partitions)[number], index: number, rack: string) => {
    const from = assignment.replicas[index];
    const to = (brokersOf.get(rack) ?? [])
      .filter((id) => !assignment.replicas.includes(id))
      .sort((a, b) => (load.get(a) ?? 0) - quotas[a][0] - ((load.get(b) ?? 0) - quotas[b][0]) || a - b)[0];
    if (to === undefined) throw new ReassignmentPlanError(`no broker of zone ${rack} can take ${assignment.topic}-${assignment.partition}`);
    if (load.has(from)) load.set(from, (load.get(from) ?? 0) - 1);
    const fromZone = zoneOf(from);
    if (fromZone) zoneCount.set(fromZone, (zoneCount.get(fromZone) ?? 0) - 1);
    assignment.replicas[index] = to;
    load.set(to, (load.get(to) ?? 0) + 1);
    zoneCount.set(rack, (zoneCount.get(rack) ?? 0) + 1);
  };
  const held = (rack: string) => zoneCount.get(rack) ?? 0;
  const deficit = (rack: string) => held(rack) - (zoneRange.get(rack) as number[])[0];
  /** Zones the partition may gain a replica in, the one furthest below its floor first. */
  const zonesFor = (assignment: PartitionAssignment) =>
    racks.filter((rack) => inZone(assignment, rack) < maxPerRack(assignment)).sort((a, b) => deficit(a) - deficit(b) || (a < b ? -1 : 1));

  // Zone level, 1: replicas with no zone left, or one too many in their zone, go to a zone the partition lacks; the
  // last of a zone's replicas moves, so the preferred leader (first) stays where it is.
  for (const assignment of partitions) {
    for (let index = assignment.replicas.length - 1; index >= 0; index--) {
      const zone = zoneOf(assignment.replicas[index]);
      if (zone !== undefined && inZone(assignment, zone) <= maxPerRack(assignment)) continue;
      const [rack] = zonesFor(assignment).filter((candidate) => candidate !== zone);
      if (rack === undefined) throw new ReassignmentPlanError(`no zone can take ${assignment.topic}-${assignment.partition} from broker ${assignment.replicas[index]}`);
      if (zone !== undefined) repaired.add(`${assignment.topic}\0${assignment.partition}\0${index}`);
      place(assignment, index, rack);
    }
  }
  // Zone level, 2: from zones above their range to zones below it, then what is left of either, taking the replica
  // that also helps inside the source zone: one on a leaving broker, else one on the broker furthest above its quota.
  const sourceRank = (id: number) => (load.has(id) ? (load.get(id) ?? 0) - quotas[id][1] : Number.MAX_SAFE_INTEGER);
  const aboveZone = (rack: string) => held(rack) > (zoneRange.get(rack) as number[])[1];
  const belowZone = (rack: string) => held(rack) < (zoneRange.get(rack) as number[])[0];
  const zoneStep = (isSource: (rack: string) => boolean, isDestination: (rack: string) => boolean): boolean => {
    for (const from of racks.filter(isSource).sort((a, b) => held(b) - held(a) || (a < b ? -1 : 1))) {
      let best: { assignment: (typeof partitions)[number]; index: number; rack: string; rank: number; blocks: number } | undefined;
      for (const assignment of partitions) {
        assignment.replicas.forEach((id, index) => {
          if (zoneOf(id) !== from) return;
          const [rack] = zonesFor(assignment).filter((candidate) => candidate !== from && isDestination(candidate));
          if (rack === undefined) return;
          const rank = sourceRank(id);
          // A partition whose other replicas sit on overloaded brokers is better kept for them: once it has a replica
          // in the destination zone, they can no longer move there.
          const blocks = assignment.replicas.filter((other) => other !== id && sourceRank(other) > 0).length;
          if (!best || rank > best.rank || (rank === best.rank && blocks < best.blocks)) best = { assignment, index, rack, rank, blocks };
        });
      }
      if (best) {
        place(best.assignment, best.index, best.rack);
        return true;
      }
    }
    return false;
  };
  while (zoneStep(aboveZone, belowZone));
  while (zoneStep(aboveZone, (rack) => held(rack) < (zoneRange.get(rack) as number[])[1]));
  while (zoneStep((rack) => held(rack) > (zoneRange.get(rack) as number[])[0], belowZone));
  // Broker level, inside each zone: leaving brokers empty out, then brokers above their quota give to those below.
  for (const rack of racks) {
    for (const assignment of partitions) {
      assignment.replicas.forEach((id, index) => {
        if (!load.has(id) && zoneOf(id) === rack) place(assignment, index, rack);
      });
    }
    const brokers = brokersOf.get(rack) ?? [];
    for (;;) {
      const over = brokers.filter((id) => (load.get(id) ?? 0) > quotas[id][1]).sort((a, b) => (load.get(b) ?? 0) - (load.get(a) ?? 0) || a - b);
      const under = brokers.filter((id) => (load.get(id) ?? 0) < quotas[id][0]).sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b);
      const sources = over.length > 0 ? over : under.length > 0 ? brokers.filter((id) => (load.get(id) ?? 0) > quotas[id][0]) : [];
      const receivers = over.length > 0 ? brokers.filter((id) => (load.get(id) ?? 0) < quotas[id][1]) : under;
      // The most loaded source to the least loaded receiver; the first partition (in order) that fits moves.
      receivers.sort((a, b) => (load.get(a) ?? 0) - quotas[a][0] - ((load.get(b) ?? 0) - quotas[b][0]) || a - b);
      let pair: { from: number; to: number; assignment: (typeof partitions)[number] } | undefined;
      for (const from of sources) {
        for (const to of receivers) {
          if (to === from) continue;
          const assignment = partitions.find((candidate) => candidate.replicas.includes(from) && !candidate.replicas.includes(to));
          if (assignment) {
            pair = { from, to, assignment };
            break;
          }
        }
        if (pair) break;
      }
      if (!pair) break;
      const index = pair.assignment.replicas.indexOf(pair.from);
      load.set(pair.from, (load.get(pair.from) ?? 0) - 1);
      load.set(pair.to, (load.get(pair.to) ?? 0) + 1);
      pair.assignment.replicas[index] = pair.to;
    }
  }

  const moves: ReplicaMove[] = [];
  const changed: PartitionAssignment[] = [];
  partitions.forEach((assignment, position) => {
    const was = original[position];
    if (was.join(',') === assignment.replicas.join(',')) return;
    changed.push({ topic: assignment.topic, partition: assignment.partition, replicas: assignment.replicas });
    assignment.replicas.forEach((to, index) => {
      const from = was[index];
      if (from === to) return;
      const reason = !targetRack.has(from) ? 'leaving' : repaired.has(`${assignment.topic}\0${assignment.partition}\0${index}`) ? 'rack' : 'balance';
      moves.push({ topic: assignment.topic, partition: assignment.partition, from, to, reason });
    });
  });
  return { moves, changed, before, after: countReplicas(partitions, Object.keys(before).map(Number)), quotas };
}

function countReplicas(partitions: readonly PartitionAssignment[], ids: readonly number[]): Record<number, number> {
  const counts = new Map<number, number>(ids.map((id) => [id, 0]));
  for (const assignment of partitions) for (const id of assignment.replicas) counts.set(id, (counts.get(id) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a - b));
}

/** Each zone's share of the replicas, as real numbers (water filling; see `brokerQuotas`). */
function zoneShares(partitions: readonly PartitionAssignment[], targets: readonly TargetBroker[], racks: readonly string[]): Map<string, number> {
  const total = partitions.reduce((sum, assignment) => sum + assignment.replicas.length, 0);
  const rackCap = new Map(racks.map((rack) => [rack, partitions.reduce((sum, assignment) => sum + Math.ceil(assignment.replicas.length / racks.length), 0)]));
  const brokersIn = new Map(racks.map((rack) => [rack, targets.filter((broker) => broker.rack === rack).length]));
  const shares = new Map<string, number>();
  let open = [...racks];
  let remaining = total;
  for (;;) {
    const brokers = open.reduce((sum, rack) => sum + (brokersIn.get(rack) ?? 0), 0);
    const capped = open.filter((rack) => ((brokersIn.get(rack) ?? 0) * remaining) / brokers > (rackCap.get(rack) ?? 0) + 1e-9);
    if (capped.length === 0) {
      for (const rack of open) shares.set(rack, ((brokersIn.get(rack) ?? 0) * remaining) / brokers);
      return shares;
    }
    for (const rack of capped) {
      shares.set(rack, rackCap.get(rack) ?? 0);
      remaining -= rackCap.get(rack) ?? 0;
    }
    open = open.filter((rack) => !capped.includes(rack));
  }
}

/**
 * Each target broker's [floor, ceil] share. A zone holds at most one replica of a partition whose replication factor
 * does not exceed the zone count (ceil(RF / zones) otherwise), which caps small zones; what they cannot hold goes to
 * the other zones in proportion to their brokers. Inside a zone, brokers share its total evenly.
 */
export function brokerQuotas(partitions: readonly PartitionAssignment[], targets: readonly TargetBroker[], racks: readonly string[]): Record<number, [number, number]> {
  const shares = zoneShares(partitions, targets, racks);
  const brokersIn = new Map(racks.map((rack) => [rack, targets.filter((broker) => broker.rack === rack).length]));
  return Object.fromEntries(
    [...targets]
      .sort((a, b) => a.id - b.id)
      .map((broker) => {
        const share = (shares.get(broker.rack) ?? 0) / (brokersIn.get(broker.rack) ?? 1);
        // Shares that are whole up to rounding noise must not widen the band.
        const whole = Math.abs(share - Math.round(share)) < 1e-9 ? Math.round(share) : share;
        return [broker.id, [Math.floor(whole), Math.ceil(whole)] as [number, number]];
      }),
  );
}

/** The JSON `kafka-reassign-partitions.sh --execute --reassignment-json-file` reads. */
export function reassignmentJson(plan: ReassignmentPlan): string {
  const partitions = plan.changed.map((assignment) => ({ topic: assignment.topic, partition: assignment.partition, replicas: [...assignment.replicas] }));
  return `${JSON.stringify({ version: 1, partitions }, null, 2)}\n`;
}

/**
 * Partition lines of `kafka-topics.sh --describe` ("Topic: t<TAB>Partition: 0<TAB>Leader: 1<TAB>Replicas: 1,2,3<TAB>Isr: ...")
 * as assignments; topic header lines and anything else are skipped. A partition being reassigned lists adding and
 * removing replicas too: it is refused, because a plan must start from a settled assignment.
 */
export function parseTopicDescribe(text: string): PartitionAssignment[] {
  const assignments: PartitionAssignment[] = [];
  for (const line of text.split('\n')) {
    if (!/\bPartition: /.test(line)) continue;
    const fields = new Map(
      line
        .split('\t')
        .map((field) => field.trim())
        .filter(Boolean)
        .map((field) => [field.slice(0, field.indexOf(':')), field.slice(field.indexOf(':') + 1).trim()] as const),
    );
    const topic = fields.get('Topic');
    const partition = Number(fields.get('Partition'));
    const replicas = (fields.get('Replicas') ?? '').split(',').filter(Boolean).map(Number);
    if (!topic || !Number.isInteger(partition) || replicas.length === 0 || replicas.some((id) => !Number.isInteger(id))) {
      throw new ReassignmentPlanError(`cannot read this partition line of kafka-topics.sh --describe: ${line.trim()}`);
    }
    if (fields.get('Adding Replicas') || fields.get('Removing Replicas')) {
      throw new ReassignmentPlanError(`${topic}-${partition} is being reassigned; finish that (reassign.sh resumes it) before planning another`);
    }
    assignments.push({ topic, partition, replicas });
  }
  return assignments;
}
