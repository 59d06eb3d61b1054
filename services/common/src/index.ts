export * from './domain/index.js';
export * from './topics.js';
