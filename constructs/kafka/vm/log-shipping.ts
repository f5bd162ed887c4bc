import type { ClusterModel } from '../model/cluster-model';
import type { ResolvedSpec } from '../spec/environment-spec';
import { type VmLogShipping, vmLogShipping } from '../spec/vm-runtime';
import type { KafkaNode } from '../model/topology';
import { VM_BOOTSTRAP_LOG, VM_KAFKA_LOG_DIR, VM_KAFKA_LOG_FILES } from './log-files';
import logShippingScript from './scripts/kafka-log-shipping.sh';

/**
 * Log shipping of VM nodes, as pure data: the CloudWatch agent's configuration each node gets, the log group they
 * write to and the script that installs and starts the agent. The log group, its key and the node roles' permission to
 * write to it are made in constructs/aws from the same names.
 */

/** Where cloud-init puts the agent's configuration and the script on a node (the script names both literally). */
export const LOG_SHIPPING_FILES = {
  agentConfig: '/etc/kafka/cloudwatch-agent.json',
  script: '/usr/local/sbin/kafka-log-shipping.sh',
} as const;

/** Installs the CloudWatch agent from the distribution's repositories and starts it with the node's configuration. */
export const LOG_SHIPPING_SCRIPT: string = logShippingScript;

/** Amazon Linux 2023 package of the CloudWatch agent (in the distribution's own repositories; the script names it). */
export const CLOUDWATCH_AGENT_PACKAGE = 'amazon-cloudwatch-agent';

/** One file the agent tails, and the suffix of its stream after the node's name. */
export interface ShippedLog {
  readonly path: string;
  /** Log4j lines start with `[<date> <time>,<millis>]`; a stack trace's lines do not and join their event. */
  readonly kafkaLayout: boolean;
}

/** The files every node ships: Kafka's server, controller and state-change logs, and the boot log. */
export const SHIPPED_LOGS: readonly ShippedLog[] = [
  { path: `${VM_KAFKA_LOG_DIR}/${VM_KAFKA_LOG_FILES.server}`, kafkaLayout: true },
  { path: `${VM_KAFKA_LOG_DIR}/${VM_KAFKA_LOG_FILES.controller}`, kafkaLayout: true },
  { path: `${VM_KAFKA_LOG_DIR}/${VM_KAFKA_LOG_FILES.stateChange}`, kafkaLayout: true },
  { path: VM_BOOTSTRAP_LOG, kafkaLayout: false },
];

/** The resolved log shipping of a VM environment; off for Kubernetes environments. */
export function nodeLogShipping(spec: ResolvedSpec): VmLogShipping {
  return spec.runtime.kind === 'vm' ? vmLogShipping(spec.runtime, spec.tier) : { enabled: false, retentionDays: 0 };
}

/** The environment's node log group: one per environment and cluster. */
export function vmLogGroupName(spec: ResolvedSpec): string {
  return `/kafka/${spec.name}/${spec.kafka.clusterName}/nodes`;
}

/** A node's stream for one file: `<node name>/<file name>`, so every node and file has its own stream. */
export function vmLogStreamName(node: KafkaNode, path: string): string {
  return `${node.name}/${path.slice(path.lastIndexOf('/') + 1)}`;
}

/**
 * The CloudWatch agent's JSON configuration for one node: logs only (no metrics, so no `cloudwatch:PutMetricData`
 * either), every file into the environment's group under the node's own streams. The group exists before any node
 * (Terraform creates it with its key and retention), so the agent never needs to create it or set its retention.
 */
export function cloudWatchAgentConfig(model: ClusterModel, node: KafkaNode): string {
  const group = vmLogGroupName(model.spec);
  // No `agent` section: the agent runs as root by default, which reads both Kafka's files and cloud-init's root-owned
  // boot log (it only reads them).
  const config = {
    logs: {
      logs_collected: {
        files: {
          collect_list: SHIPPED_LOGS.map((log) => ({
            file_path: log.path,
            log_group_name: group,
            log_stream_name: vmLogStreamName(node, log.path),
            // The JVM logs in the node's local time zone, as does the agent by default.
            ...(log.kafkaLayout ? { timestamp_format: '%Y-%m-%d %H:%M:%S,%f', multi_line_start_pattern: '^\\[\\d{4}-\\d{2}-\\d{2} ' } : {}),
          })),
        },
      },
    },
  };
  // Compact: it travels in the user data, which EC2 limits to 16 KiB.
  return `${JSON.stringify(config)}\n`;
}
