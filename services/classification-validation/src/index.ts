export * as domain from './domain/index.js';
export { createClassificationHandler, toSegmentRecord, validateSensorClean } from './handler.js';
export { classificationValidation } from './service.js';
