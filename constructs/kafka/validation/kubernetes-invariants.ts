import type { ResolvedSpec } from '../spec/environment-spec';
import { externalBootstrapHost } from '../model/listeners';
import type { Problem } from './problems';
import { sanCovers } from '../security/certificates';
import { brokerGroupName, clusterNodes, controllerGroupName } from '../model/topology';

/**
 * A StatefulSet's pods carry a `controller-revision-hash` label of `<name>-<10-character hash>`, and label values are
 * limited to 63 characters: a longer StatefulSet name is accepted by the API server, but its pods are never created.
 */
const MAX_STATEFUL_SET_NAME = 52;

/** Rules of the Kubernetes runtime options (`runtime.*` with kind "kubernetes"); none for VM environments. */
export function kubernetesInvariantProblems(spec: ResolvedSpec): Problem[] {
  const runtime = spec.runtime;
  const problems: Problem[] = [];
  const report = (path: string, value: unknown, message: string) => problems.push({ environment: spec.name, path, value, message });
  const external = spec.kafka.listeners.external;
  if (runtime.kind !== 'kubernetes') {
    if (external) report('kafka.listeners.external', external, 'is supported on Kubernetes only (runtime.kind "kubernetes")');
    return problems;
  }
  if (external) checkExternalAccess(spec, report);

  for (const kind of ['storageClass', 'priorityClass'] as const) {
    const options = runtime[kind];
    if (!options.create && !options.name) {
      report(`runtime.${kind}.name`, undefined, `required when runtime.${kind}.create is false (the existing class to use)`);
    }
  }
  const { kmsKeyArn, reclaimPolicy } = runtime.storageClass;
  const kmsRegion = kmsKeyArn?.split(':')[3];
  if (kmsKeyArn && kmsRegion !== spec.aws.region) {
    report('runtime.storageClass.kmsKeyArn', kmsKeyArn, `is in ${kmsRegion}, but EBS volumes of ${spec.aws.region} need a key of ${spec.aws.region}`);
  }
  // Production must start without the internet: a pod start that downloads its agent fails whenever the download does.
  if (spec.tier === 'production' && spec.monitoring.enabled && !spec.monitoring.jmxExporter.image) {
    report(
      'monitoring.jmxExporter.image',
      undefined,
      'required in production: a mirror image carrying the JMX exporter jar (with jarPath), so that no Kafka pod depends on the internet to start',
    );
  }
  if (spec.tier === 'production' && reclaimPolicy === 'Delete') {
    report('runtime.storageClass.reclaimPolicy', 'Delete', 'must be "Retain" in production: deleting a claim must never delete a broker\'s data');
  }
  const zones = new Set(spec.aws.availabilityZones).size;
  if (spec.tier === 'production' && zones > 1 && runtime.brokerUpdateStrategy === 'RollingUpdate') {
    report(
      'runtime.brokerUpdateStrategy',
      'RollingUpdate',
      `would restart one broker in each of the ${zones} zones at once (each zone is its own StatefulSet); use "OnDelete" in production`,
    );
  }
  runtime.tolerations.forEach((toleration, index) => {
    const path = `runtime.tolerations[${index}]`;
    if (toleration.operator === 'Exists' && toleration.value !== undefined) {
      report(`${path}.value`, toleration.value, 'must be empty with operator "Exists"');
    }
    if (toleration.operator === 'Equal' && toleration.key === undefined) {
      report(`${path}.key`, undefined, 'required with operator "Equal" (only "Exists" may tolerate every key)');
    }
  });
  const groups = [controllerGroupName(spec), ...spec.aws.availabilityZones.map((zone) => brokerGroupName(spec, zone))];
  const tooLong = groups.filter((name) => name.length > MAX_STATEFUL_SET_NAME);
  if (tooLong.length > 0) {
    report(
      'kafka.clusterName',
      spec.kafka.clusterName,
      `makes StatefulSet name(s) ${tooLong.join(', ')} longer than ${MAX_STATEFUL_SET_NAME} characters, ` +
        'whose pods Kubernetes cannot label (controller-revision-hash); use a shorter cluster name',
    );
  }
  return problems;
}

/**
 * External clients verify the broker's certificate against the name they dial, so every external name must be on
 * the broker certificate; and an internet-facing load balancer in production must say who may connect.
 */
function checkExternalAccess(spec: ResolvedSpec, report: (path: string, value: unknown, message: string) => void): void {
  const external = spec.kafka.listeners.external;
  if (!external || spec.runtime.kind !== 'kubernetes') return;
  if (external.tls) {
    const sans = spec.security.certificates.extraDnsNames;
    const hosts = [externalBootstrapHost(spec) ?? '', ...clusterNodes(spec).filter((node) => node.role === 'broker').map((node) => `${node.name}.${external.domain}`)];
    const missing = hosts.filter((host) => !sans.some((san) => sanCovers(san, host)));
    if (missing.length > 0) {
      report(
        'security.certificates.extraDnsNames',
        sans,
        `must cover every external name clients dial (kafka.listeners.external.domain ${external.domain}); missing: ${missing.join(', ')}`,
      );
    }
  }
  const access = spec.runtime.externalAccess;
  if (spec.tier === 'production' && access.internetFacing && access.sourceRanges.length === 0) {
    report('runtime.externalAccess.sourceRanges', [], 'must list the client CIDRs when production load balancers are internet-facing');
  }
}
