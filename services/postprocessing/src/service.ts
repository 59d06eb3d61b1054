import { PipelineError, type ServiceDefinition } from '@polluscope/common';
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

export const postprocessing: ServiceDefinition = {
  name: 'postprocessing',
  extraEnv: ['WAREHOUSE_URL', 'TIME_ZONE'],
  createHandler: ({ config }) => {
    const timeZone = config.extra.TIME_ZONE ?? defaultTimelineStreamParams.timeZone;
    const store = warehouseReviews(config.extra.WAREHOUSE_URL, timeZone);
    return createPostprocessingHandler({
      idleTimeoutMs: config.idleTimeoutMs,
      params: { ...defaultTimelineStreamParams, latenessMs: config.allowedLatenessMs, timeZone },
      onLateDecisions: (decisions) => store.applyLateDecisions(decisions),
    });
  },
  extendApp: (app, { config, runner }) => {
    const timeZone = config.extra.TIME_ZONE ?? defaultTimelineStreamParams.timeZone;
    const store = warehouseReviews(config.extra.WAREHOUSE_URL, timeZone);
    registerReviewRoutes(app, { store, produce: (outputs) => runner.produce(outputs) });
    app.addHook('onClose', async () => store.close());
  },
};
