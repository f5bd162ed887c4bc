/**
 * Where a VM node's logs are: Kafka's log4j files (`vmLoggingConfig` writes them, `kafka.env` points Kafka's LOG_DIR
 * here) and the boot log cloud-init keeps of the bootstrap. The CloudWatch agent ships the same paths.
 */

/** Kafka's `LOG_DIR` (`kafka.logs.dir`) on VMs: its log4j files go here, on the root volume. */
export const VM_KAFKA_LOG_DIR = '/var/log/kafka';

/** File names of Kafka's log4j appenders under `VM_KAFKA_LOG_DIR`, as Kafka's shipped configuration names them. */
export const VM_KAFKA_LOG_FILES = {
  server: 'server.log',
  controller: 'controller.log',
  stateChange: 'state-change.log',
  request: 'kafka-request.log',
  authorizer: 'kafka-authorizer.log',
} as const;

/**
 * cloud-init's output log: everything `runcmd` prints, so the whole bootstrap (`kafka-bootstrap.sh`). The user data
 * names it explicitly (cloud-config `output`), so this path holds whatever cloud-init's own default.
 */
export const VM_BOOTSTRAP_LOG = '/var/log/cloud-init-output.log';
