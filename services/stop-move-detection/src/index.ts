export * as domain from './domain/index.js';
export { createStopMoveHandler, minParticipantRetentionMs, toEpisodeRecord, validateGpsClean } from './handler.js';
export { stopMoveDetection } from './service.js';
