export * from './constructs/kafka';
