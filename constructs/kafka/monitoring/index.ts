export * from './jmx-exporter-agent';
