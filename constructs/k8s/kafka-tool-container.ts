import { k8s } from 'cdk8s-plus-27';
import { restrictedContainerSecurityContext } from './restricted-security-context';

/** The container of a short-lived pod that runs Kafka's command-line tools (the roller, the drain Job, the ACL reconcile Job). */
export interface KafkaToolContainerProps {
  readonly name: string;
  readonly image: string;
  readonly command: string[];
  /** The tool's own variables, set before those of the JVM. @default - none */
  readonly env?: k8s.EnvVar[];
  /** Among them `{ name: 'tmp', mountPath: '/tmp' }`, the volume of `kafkaToolTmpVolume()`: the tools write there. */
  readonly volumeMounts: k8s.VolumeMount[];
  readonly uid: number;
}

/**
 * The tools are short-lived JVMs: a small heap, and their logs and scratch files in /tmp, because the root
 * filesystem is read-only (restricted security context). Requests and limits fit one admin client.
 */
export function kafkaToolContainer(props: KafkaToolContainerProps): k8s.Container {
  return {
    name: props.name,
    image: props.image,
    command: props.command,
    env: [...(props.env ?? []), { name: 'LOG_DIR', value: '/tmp/logs' }, { name: 'KAFKA_HEAP_OPTS', value: '-Xmx256m' }],
    resources: {
      requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('512Mi') },
      limits: { memory: k8s.Quantity.fromString('512Mi') },
    },
    securityContext: restrictedContainerSecurityContext(props.uid),
    volumeMounts: props.volumeMounts,
  };
}

/** The memory-backed /tmp of a tool container (`kafkaToolContainer`). */
export function kafkaToolTmpVolume(): k8s.Volume {
  return { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('64Mi') } };
}
