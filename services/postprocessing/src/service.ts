import { Type } from '@sinclair/typebox';
import { defineService, PipelineError } from '@polluscope/common';
import { defaultTimelineStreamParams } from './domain/index.js';
import { createPostprocessingHandler } from './handler.js';
import { registerReviewRoutes } from './review-routes.js';
import { WarehouseReviews } from './warehouse-reviews.js';

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
    WAREHOUSE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'the review API reads and writes the warehouse here' })),
    TIME_ZONE: Type.Optional(Type.String({ minLength: 1, description: "participants' time zone for days of exposure; default Europe/Paris" })),
  }),
  createHandler: ({ config }) => {
    const timeZone = config.settings.TIME_ZONE ?? defaultTimelineStreamParams.timeZone;
    const store = warehouseReviews(config.settings.WAREHOUSE_URL, timeZone);
    return createPostprocessingHandler({
      idleTimeoutMs: config.idleTimeoutMs,
      params: { ...defaultTimelineStreamParams, latenessMs: config.allowedLatenessMs, timeZone },
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
