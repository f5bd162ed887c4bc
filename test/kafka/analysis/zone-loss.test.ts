import { mostControllersInOneZone, placementFromManifests, simulateZoneLoss, zoneLossReport } from '../../../constructs/kafka/analysis/zone-loss';
import { prod } from '../../../environments/prod';
import { aThreeZoneProdSpec } from '../../fixtures/environments';
import { synthesizeKafka } from '../../k8s/manifests';

describe('losing a zone of prod, simulated on the synthesized objects', () => {
  const { objects, model } = synthesizeKafka(prod);
  const placement = placementFromManifests(objects);
  const report = zoneLossReport(placement);

  it('reads the placement from the manifests', () => {
    expect(placement.controllers).toEqual({ count: 3, zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], maxSkew: 1 });
    expect(placement.brokers).toHaveLength(6);
    expect(placement.brokers.map((broker) => broker.nodeId)).toEqual(model.brokers.map((node) => node.nodeId));
    expect(placement.brokers.every((broker) => broker.rack === broker.zone)).toBe(true);
    expect(placement).toMatchObject({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it.each(['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])('keeps the quorum and acks=all writes when %s is lost', (zone) => {
    const outcome = report.find((candidate) => candidate.lostZone === zone)!;
    expect(outcome).toMatchObject({ controllersLeft: 2, controllerMajority: 2, quorumSurvives: true, fewestReplicasLeft: 2, writesContinue: true });
    // 2 brokers per zone, one replica per zone: 2 × 2 × 2 rack-aware placements.
    expect(outcome.placementsChecked).toBe(8);
  });
});

describe('the simulation catches unsafe layouts', () => {
  const base = placementFromManifests(synthesizeKafka(prod).objects);

  it('fails the quorum when nothing spreads the controllers', () => {
    const { maxSkew: _, ...unspread } = base.controllers;
    expect(mostControllersInOneZone(unspread)).toBe(3);
    expect(simulateZoneLoss({ ...base, controllers: unspread }, 'eu-west-1a').quorumSurvives).toBe(false);
  });

  it('fails writes when a broker runs in another zone than its rack says', () => {
    // Two "eu-west-1a" brokers actually in eu-west-1b: rack-aware placement can put two replicas in eu-west-1b.
    const brokers = base.brokers.map((broker) => (broker.rack === 'eu-west-1a' ? { ...broker, zone: 'eu-west-1b' } : broker));
    const outcome = simulateZoneLoss({ ...base, brokers }, 'eu-west-1b');
    expect(outcome.fewestReplicasLeft).toBe(1);
    expect(outcome.writesContinue).toBe(false);
  });

  it('fails writes with min.insync.replicas = replication factor', () => {
    expect(simulateZoneLoss({ ...base, minInsyncReplicas: 3 }, 'eu-west-1c').writesContinue).toBe(false);
  });

  it('keeps a five-voter quorum over three zones (at most two per zone)', () => {
    const spec = aThreeZoneProdSpec();
    spec.kafka.controllers.count = 5;
    const outcome = zoneLossReport(placementFromManifests(synthesizeKafka(spec).objects));
    expect(outcome.every((zone) => zone.controllersLeft === 3 && zone.quorumSurvives)).toBe(true);
  });
});
