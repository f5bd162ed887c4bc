import type { k8s } from 'cdk8s-plus-27';

/**
 * The Kubernetes *restricted* Pod Security Standard, stated in full on every pod and container so that a pod passes
 * admission in a namespace that enforces it, whatever the image's defaults: a non-root UID, no privilege escalation,
 * no capabilities, the runtime's default seccomp profile, and a read-only root filesystem.
 */
export function restrictedContainerSecurityContext(uid: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The pod-level half: volumes are group-owned by `uid` (fsGroup) so the non-root process can write them. */
export function restrictedPodSecurityContext(uid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    // Re-owning a 1 TB volume on every start would delay it by minutes; only fix ownership when it is wrong.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
