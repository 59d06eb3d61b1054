import { join } from 'node:path';
import { DEFAULT_MODELS_DIR, PipelineError, watchModelFile, type ServiceDefinition } from '@polluscope/common';
import { defaultClassifySegmentParams, loadActivityModel } from './domain/index.js';
import { createClassificationHandler } from './handler.js';

function threshold(text: string | undefined): number {
  if (text === undefined || text === '') return defaultClassifySegmentParams.validation.minConfidence;
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) {
    throw new PipelineError('CONFIG_INVALID', `REVIEW_MIN_CONFIDENCE: expected a number in 0..1, got "${text}"`, { setting: 'REVIEW_MIN_CONFIDENCE' });
  }
  return value;
}

export const classificationValidation: ServiceDefinition = {
  name: 'classification-validation',
  port: 8000,
  extraEnv: ['MODEL_PATH', 'REVIEW_MIN_CONFIDENCE', 'TIME_ZONE'],
  createHandler: ({ config, logger }) => {
    const path = config.extra.MODEL_PATH ?? join(DEFAULT_MODELS_DIR, 'activity-model.json');
    const model = watchModelFile(path, loadActivityModel, logger);
    const initial = model.current();
    if (initial === null) throw new PipelineError('MODEL_INVALID', `no usable activity model at ${path} (MODEL_PATH)`, { path });
    const defaults = defaultClassifySegmentParams;
    const rules = defaults.rules === null ? null : { ...defaults.rules, timeZone: config.extra.TIME_ZONE ?? defaults.rules.timeZone };
    return createClassificationHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      lateRetentionMs: 60 * 60_000,
      params: { ...defaults, rules, validation: { minConfidence: threshold(config.extra.REVIEW_MIN_CONFIDENCE) } },
      model: () => model.current() ?? initial,
    });
  },
};
