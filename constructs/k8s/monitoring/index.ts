export * from './jmx-exporter-config-map';
export * from './kafka-pod-monitor';
export * from './kafka-prometheus-rule';
export * from './dashboard-config-maps';
export * from './kafka-exporter';
export * from './bundled-prometheus';
export * from './bundled-alertmanager';
export * from './bundled-grafana';
