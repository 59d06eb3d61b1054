export * as domain from './domain/index.js';
export { createStopMoveHandler, toEpisodeRecord, validateGpsClean } from './handler.js';
export { stopMoveDetection } from './service.js';
