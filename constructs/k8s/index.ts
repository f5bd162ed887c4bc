export * from './labels';
export * from './kafka-namespace';
export * from './kafka-config-map';
