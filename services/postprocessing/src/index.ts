export * as domain from './domain/index.js';
export { createPostprocessingHandler, validatePostprocessingInput } from './handler.js';
export { parseSegmentStart, registerReviewRoutes } from './review-routes.js';
export { postprocessing } from './service.js';
