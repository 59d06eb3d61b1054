export * as domain from './domain/index.js';
export { createPostprocessingHandler, TIMELINE_STATE_RETENTION_MS, validatePostprocessingInput } from './handler.js';
export { decisionJson, parseSegmentStart, registerReviewRoutes, reviewDecisionOutput } from './review-routes.js';
export { postprocessing } from './service.js';
export {
  checkReviewer,
  MAX_REVIEWER_NAME_CHARS,
  hashReviewerPassword,
  MAX_PASSWORD_CHARS,
  MIN_PASSWORD_CHARS,
  passwordProblem,
  reviewerNameProblem,
  WarehouseReviewers,
  type ReviewerDirectory,
} from './reviewer-accounts.js';
