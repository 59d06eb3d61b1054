export * as domain from './domain/index.js';
export { createPostprocessingHandler, validatePostprocessingInput } from './handler.js';
export { parseSegmentStart, registerReviewRoutes } from './review-routes.js';
export { postprocessing } from './service.js';
export {
  checkReviewer,
  hashReviewerPassword,
  MAX_PASSWORD_CHARS,
  MIN_PASSWORD_CHARS,
  passwordProblem,
  reviewerNameProblem,
  WarehouseReviewers,
  type ReviewerDirectory,
} from './reviewer-accounts.js';
