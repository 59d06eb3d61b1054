export * as domain from './domain/index.js';
