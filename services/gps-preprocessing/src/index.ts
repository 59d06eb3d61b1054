export * as domain from './domain/index.js';
export { createGpsHandler, toGpsDroppedRecord, validateRawGps } from './handler.js';
export { gpsPreprocessing } from './service.js';
