export * from './cdktf';
export * from './state-backend';
export * from './kafka-network';
export * from './kafka-user-secrets';
