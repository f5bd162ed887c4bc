import type { ResolvedSpec } from '../spec/environment-spec';
import { clusterNodes } from '../model/topology';
import { FEATURE_FIELDS, type FeatureName, METADATA_VERSIONS, desiredFeatureLevels, metadataVersionLevel, metadataVersionName, releaseLine, supportedLevels } from '../operations/feature-levels';
import type { OperationsState } from '../operations/operations-state';
import type { Problem } from './problems';

/**
 * Rules of the day-2 fields: draining and drained brokers must make sense for the topology, and feature levels must
 * be ones the Kafka release supports. `baseProblems` compares with what the previous output committed the cluster to.
 */
export function operationsProblems(spec: ResolvedSpec): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, value: unknown, message: string) => problems.push({ environment: spec.name, path, value, message });
  const brokers = clusterNodes(spec).filter((node) => node.role === 'broker');
  const byId = new Map(brokers.map((node) => [node.nodeId, node]));
  const { draining, drained } = spec.operations.brokers;
  draining.forEach((id, index) => {
    if (!byId.has(id)) report(`operations.brokers.draining[${index}]`, id, `is not a broker of this environment (brokers: ${brokers.map((node) => node.nodeId).join(', ')})`);
    if (drained.includes(id)) report(`operations.brokers.draining[${index}]`, id, 'is also listed as drained; a broker is draining first, drained after');
  });
  drained.forEach((id, index) => {
    const node = byId.get(id);
    if (node) report(`operations.brokers.drained[${index}]`, id, `is still a broker (${node.name}): a drained broker leaves the topology in the same change (lower kafka.brokers.perZone or drop its zone)`);
  });
  const leaving = draining.map((id) => byId.get(id)).filter((node) => node !== undefined);
  if (leaving.length > 0 && leaving.length === draining.length) checkRemovable(spec, brokers, new Set(draining), report);
  checkFeatures(spec, report);
  if (spec.tier !== 'dev' && spec.operations.rolling.protectMinInsyncReplicas === false) {
    report('operations.rolling.protectMinInsyncReplicas', false, 'only dev may restart a broker that would take a partition below min.insync.replicas');
  }
  return problems;
}

type Report = (path: string, value: unknown, message: string) => void;

/** A StatefulSet (and our node ids) can only lose its highest ordinals, and what stays must still be a valid cluster. */
function checkRemovable(spec: ResolvedSpec, brokers: ReturnType<typeof clusterNodes>, draining: ReadonlySet<number>, report: Report): void {
  const zones = spec.aws.availabilityZones;
  const remaining = new Map(zones.map((zone) => [zone, brokers.filter((node) => node.zone === zone && !draining.has(node.nodeId)).length]));
  for (const zone of zones) {
    const inZone = brokers.filter((node) => node.zone === zone).sort((a, b) => a.ordinal - b.ordinal);
    const kept = remaining.get(zone) ?? 0;
    const wrong = inZone.filter((node) => draining.has(node.nodeId) && node.ordinal < kept);
    if (wrong.length > 0) {
      report('operations.brokers.draining', [...draining], `drains ${wrong.map((node) => node.name).join(', ')} but keeps higher ordinals of zone ${zone}: only the last brokers of a zone (${inZone.slice(kept).map((node) => node.name).join(', ') || 'none'}) can be removed`);
    }
  }
  const keptZones = zones.filter((zone) => (remaining.get(zone) ?? 0) > 0);
  const counts = new Set(keptZones.map((zone) => remaining.get(zone)));
  if (counts.size > 1) {
    report('operations.brokers.draining', [...draining], `would leave ${keptZones.map((zone) => `${remaining.get(zone)} in ${zone}`).join(', ')}: drain the same number of brokers in every zone, or a whole zone`);
  }
  const emptied = zones.filter((zone) => (remaining.get(zone) ?? 0) === 0);
  // Broker ids and controller placement follow the zone order: only zones at the end of the list can go.
  if (emptied.some((zone) => zones.indexOf(zone) < zones.length - emptied.length)) {
    report('operations.brokers.draining', [...draining], `empties zone ${emptied.join(', ')}, which is not at the end of aws.availabilityZones: removing it would renumber the brokers of the zones after it`);
  }
  const kept = [...remaining.values()].reduce((sum, count) => sum + count, 0);
  if (kept < spec.kafka.replicationFactor) report('operations.brokers.draining', [...draining], `would leave ${kept} brokers, fewer than kafka.replicationFactor ${spec.kafka.replicationFactor}`);
  if (spec.tier === 'production' && keptZones.length < spec.kafka.replicationFactor) {
    report('operations.brokers.draining', [...draining], `would leave ${keptZones.length} zones; production keeps at least kafka.replicationFactor (${spec.kafka.replicationFactor}) zones`);
  }
}

function checkFeatures(spec: ResolvedSpec, report: Report): void {
  const { features } = spec.kafka;
  if (features.metadataVersion !== undefined && metadataVersionLevel(features.metadataVersion) === undefined) {
    report('kafka.features.metadataVersion', features.metadataVersion, `is not a metadata.version Kafka 4.x knows (${METADATA_VERSIONS[0][0]} to ${METADATA_VERSIONS[METADATA_VERSIONS.length - 1][0]})`);
  }
  const wanted = desiredFeatureLevels(features);
  if (wanted.length === 0) return;
  const supported = supportedLevels(spec.kafka.version);
  if (!supported) {
    report('kafka.version', spec.kafka.version, `feature levels of Kafka ${releaseLine(spec.kafka.version)} are not known yet (constructs/kafka/operations/feature-levels.ts): remove kafka.features or add the release`);
    return;
  }
  for (const { feature, level, path, shown } of wanted) {
    if (level > supported[feature]) {
      report(path, shown, `is beyond what kafka.version ${spec.kafka.version} supports (${feature} at most ${levelName(feature, supported[feature])}): upgrade every node first, then raise the level`);
    }
  }
}

function levelName(feature: FeatureName, level: number): string {
  return feature === 'metadata.version' ? (metadataVersionName(level) ?? String(level)) : String(level);
}

/**
 * What the base (the previous output) committed the cluster to and this spec may not undo: brokers removed without
 * being recorded as drained, and feature levels lowered (Kafka cannot downgrade a finalized metadata.version safely;
 * a static quorum made dynamic stays dynamic), including by a Kafka release too old for them.
 */
export function baseProblems(base: OperationsState, spec: ResolvedSpec): Problem[] {
  const problems: Problem[] = [];
  const report = (path: string, value: unknown, message: string) => problems.push({ environment: spec.name, path, value, message });
  const head = new Set(clusterNodes(spec).filter((node) => node.role === 'broker').map((node) => node.nodeId));
  const drained = new Set(spec.operations.brokers.drained);
  const removed = base.brokers.filter((broker) => !head.has(broker.id) && !drained.has(broker.id));
  if (removed.length > 0) {
    const zonesGone = base.brokers.some((broker) => !head.has(broker.id) && !clusterNodes(spec).some((node) => node.zone === broker.zone));
    report(
      zonesGone ? 'aws.availabilityZones' : 'kafka.brokers.perZone',
      zonesGone ? spec.aws.availabilityZones : spec.kafka.brokers.perZone,
      `removes ${removed.map((broker) => `${broker.name} (${broker.id})`).join(', ')}, which operations.brokers.drained does not record: list them under operations.brokers.draining first and run the drain, then move them to drained in the change that removes them`,
    );
  }
  const supported = supportedLevels(spec.kafka.version);
  const headLevels = new Map(desiredFeatureLevels(spec.kafka.features).map((wanted) => [wanted.feature, wanted]));
  for (const [feature, finalized] of Object.entries(base.features) as [FeatureName, number][]) {
    const wanted = headLevels.get(feature);
    const path = `kafka.features.${FEATURE_FIELDS[feature]}`;
    if (wanted && wanted.level < finalized) {
      report(path, wanted.shown, `is below ${levelName(feature, finalized)}, which the base finalizes: feature levels are never lowered`);
    } else if (supported && supported[feature] < finalized) {
      report('kafka.version', spec.kafka.version, `cannot run with ${feature} ${levelName(feature, finalized)}, which the base finalizes (it supports at most ${levelName(feature, supported[feature])})`);
    }
  }
  return problems;
}
