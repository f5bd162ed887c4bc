/**
 * Every pod the project ships — Kafka nodes, jobs, exporters, the optional Prometheus/Alertmanager/Grafana — passes
 * the Kubernetes *restricted* Pod Security Standard the namespace enforces (otherwise the API server rejects it at
 * apply time), and runs with a read-only root filesystem.
 */
import { environments } from '../../environments';
import { aThreeZoneProdSpec, withChange } from '../fixtures/environments';
import { synthesizeEnvironment } from './full-synth';
import type { K8sObject } from './manifests';

const bundledProd = withChange(aThreeZoneProdSpec(), (draft) => {
  draft.name = 'bundled';
  draft.monitoring = { ...draft.monitoring, prometheus: { deploy: true }, grafana: { deploy: true } };
});
// A drain in progress adds its Job.
const drainingProd = withChange(aThreeZoneProdSpec(), (draft) => {
  draft.name = 'draining';
  draft.operations = { brokers: { draining: [101, 201, 301] } };
});
const kubernetesEnvironments = [...environments.filter((spec) => spec.runtime.kind === 'kubernetes'), bundledProd, drainingProd];

/** The pod template of a workload, or the pod itself. */
function podSpecOf(object: K8sObject): Record<string, any> | undefined {
  if (object.kind === 'Pod') return object.spec;
  if (object.kind === 'CronJob') return object.spec.jobTemplate.spec.template.spec;
  return object.spec?.template?.spec;
}

// The volume types the restricted profile allows.
const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Violations of the restricted profile (Kubernetes Pod Security Standards, "Restricted" policies). */
function restrictedViolations(pod: Record<string, any>): string[] {
  const problems: string[] = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push('uses a host namespace');
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!type || !ALLOWED_VOLUMES.includes(type)) problems.push(`volume ${volume.name} is of type ${type}`);
  }
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const context = container.securityContext ?? {};
    const where = `container ${container.name}`;
    if (context.privileged) problems.push(`${where} is privileged`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${where} may escalate privileges`);
    if (!(context.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) problems.push(`${where} may run as root`);
    if ((context.runAsUser ?? pod.securityContext?.runAsUser) === 0) problems.push(`${where} runs as UID 0`);
    if (!(context.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where} keeps capabilities`);
    const added = (context.capabilities?.add ?? []).filter((capability: string) => capability !== 'NET_BIND_SERVICE');
    if (added.length > 0) problems.push(`${where} adds ${added.join(', ')}`);
    const seccomp = context.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where} has no seccomp profile`);
    if ((container.ports ?? []).some((port: { hostPort?: number }) => port.hostPort)) problems.push(`${where} uses a host port`);
    if (context.readOnlyRootFilesystem !== true) problems.push(`${where} has a writable root filesystem`);
  }
  return problems;
}

describe.each(kubernetesEnvironments.map((spec) => [spec.name, spec] as const))('pods of %s', (_name, spec) => {
  const workloads = synthesizeEnvironment(spec).objects.filter((object) => podSpecOf(object) !== undefined);

  it('include the Kafka nodes and every other workload', () => {
    expect(workloads.filter((object) => object.kind === 'StatefulSet').length).toBeGreaterThanOrEqual(2);
  });

  it.each(workloads.map((object) => [`${object.kind}/${object.metadata.name}`, object] as const))('%s meets the restricted profile', (_id, object) => {
    expect(restrictedViolations(podSpecOf(object)!)).toEqual([]);
  });
});

it('the check itself catches a pod that would be rejected', () => {
  const pod = { volumes: [{ name: 'host', hostPath: { path: '/' } }], containers: [{ name: 'app', securityContext: { privileged: true } }] };
  expect(restrictedViolations(pod)).toEqual(
    expect.arrayContaining(['volume host is of type hostPath', 'container app is privileged', 'container app may run as root']),
  );
});
