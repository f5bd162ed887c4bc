import { parseProperties } from '../../constructs/kafka/config/properties-file';
import { aThreeZoneProdSpec } from '../fixtures/environments';
import { type K8sObject, objectsOfKind, synthesizeKafka } from './manifests';

const checksums = (objects: K8sObject[]) =>
  Object.fromEntries(objectsOfKind(objects, 'StatefulSet').map((set) => [set.metadata.name, set.spec.template.metadata.annotations['checksum/config']]));

describe('scaling brokers out from 2 to 3 per zone', () => {
  const before = synthesizeKafka(aThreeZoneProdSpec());
  const bigger = aThreeZoneProdSpec();
  bigger.kafka.brokers.perZone = 3;
  const after = synthesizeKafka(bigger);

  it('adds one pod per zone', () => {
    expect(after.model.brokers.length - before.model.brokers.length).toBe(3);
    for (const set of objectsOfKind(after.objects, 'StatefulSet').filter((candidate) => candidate.metadata.name.includes('-broker-'))) {
      expect(set.spec.replicas).toBe(3);
    }
  });

  it('never changes an existing broker: same node id, rack and config bytes', () => {
    for (const node of before.model.brokers) {
      const same = after.model.brokers.find((candidate) => candidate.name === node.name);
      expect(same).toMatchObject({ nodeId: node.nodeId, zone: node.zone, host: node.host });
      expect(after.files.get(`kafka/${node.name}.properties`)).toBe(before.files.get(`kafka/${node.name}.properties`));
    }
    const newIds = after.model.brokers.filter((node) => node.ordinal === 2).map((node) => node.nodeId);
    expect(newIds).toEqual([102, 202, 302]);
    expect(parseProperties(after.files.get('kafka/kafka-broker-eu-west-1b-2.properties')!).get('broker.rack')).toBe('eu-west-1b');
  });

  it('rolls no existing pod (config checksums unchanged)', () => {
    expect(checksums(after.objects)).toEqual(checksums(before.objects));
  });

  it('rolls the pods of every group when shared config changes', () => {
    const changed = aThreeZoneProdSpec();
    // Renumbering the controllers changes controller.quorum.voters, which every node loads.
    changed.kafka.nodeIds = { firstController: 10 };
    const sums = checksums(synthesizeKafka(changed).objects);
    const old = checksums(before.objects);
    for (const name of Object.keys(old)) expect(sums[name]).not.toBe(old[name]);
  });
});
