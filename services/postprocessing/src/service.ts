import { Type } from '@sinclair/typebox';
import { defineService, PipelineError } from '@polluscope/common';
import { defaultTimelineStreamParams, type TimelineStreamParams } from './domain/index.js';
import { createPostprocessingHandler } from './handler.js';
import { registerReviewRoutes } from './review-routes.js';
import { WarehouseReviews } from './warehouse-reviews.js';

/** The review parameters' defaults (docs/design.md §5.2), the REVIEW_* settings' defaults. */
const defaultReview = defaultTimelineStreamParams.fusion.review;

const DEFAULT_WAREHOUSE_URL = 'postgresql://polluscope:polluscope@127.0.0.1:5436/warehouse';

let reviews: WarehouseReviews | null = null;

function warehouseReviews(url: string | undefined, timeZone: string): WarehouseReviews {
  const connectionString = url ?? DEFAULT_WAREHOUSE_URL;
  if (!/^postgres(ql)?:\/\//.test(connectionString)) {
    throw new PipelineError('CONFIG_INVALID', 'WAREHOUSE_URL: expected a postgresql:// connection string', { setting: 'WAREHOUSE_URL' });
  }
  reviews ??= new WarehouseReviews(connectionString, timeZone);
  return reviews;
}

export const postprocessing = defineService({
  name: 'postprocessing',
  settings: Type.Object({
    WAREHOUSE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'the review API reads the warehouse here (its read-only role)' })),
    TIME_ZONE: Type.Optional(Type.String({ minLength: 1, description: "participants' time zone for days of exposure and of the review budget; default Europe/Paris" })),
    REVIEW_BUDGET: Type.Number({ default: defaultReview.maxShare, minimum: 0, maximum: 1, description: "largest share of a participant-day's segments flagged for review, rounded down" }),
    REVIEW_MIN_WRONG_PROBABILITY: Type.Number({ default: defaultReview.minWrongProbability, minimum: 0, maximum: 1, description: 'a candidate is flagged only when its label is at least this likely wrong' }),
    REVIEW_MIN_CONFIDENCE: Type.Number({ default: defaultReview.minConfidence, minimum: 0, maximum: 1, description: 'below it a label from the sensors alone is a review candidate' }),
    REVIEW_DECLARATION_RELIABILITY: Type.Number({ default: defaultReview.declarationReliability, minimum: 0, maximum: 1, description: 'probability that a declaration is right' }),
  }),
  createHandler: ({ config }) => {
    const timeZone = config.settings.TIME_ZONE ?? defaultTimelineStreamParams.timeZone;
    const store = warehouseReviews(config.settings.WAREHOUSE_URL, timeZone);
    const s = config.settings;
    const params: TimelineStreamParams = {
      ...defaultTimelineStreamParams,
      latenessMs: config.allowedLatenessMs,
      timeZone,
      fusion: {
        ...defaultTimelineStreamParams.fusion,
        review: {
          maxShare: s.REVIEW_BUDGET,
          minWrongProbability: s.REVIEW_MIN_WRONG_PROBABILITY,
          minConfidence: s.REVIEW_MIN_CONFIDENCE,
          declarationReliability: s.REVIEW_DECLARATION_RELIABILITY,
          timeZone,
        },
      },
    };
    return createPostprocessingHandler({
      idleTimeoutMs: config.idleTimeoutMs,
      params,
      retentionMs: config.participantRetentionMs,
      onLateDecisions: (decisions) => store.applyLateDecisions(decisions),
    });
  },
  extendApp: (app, { config, runner }) => {
    const timeZone = config.settings.TIME_ZONE ?? defaultTimelineStreamParams.timeZone;
    const store = warehouseReviews(config.settings.WAREHOUSE_URL, timeZone);
    registerReviewRoutes(app, { store, reviewers: store.reviewers, produce: (outputs) => runner.produce(outputs) });
    app.addHook('onClose', async () => store.close());
  },
});
