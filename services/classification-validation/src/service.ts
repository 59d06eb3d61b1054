import { join } from 'node:path';
import { DEFAULT_MODELS_DIR, PipelineError, watchModelFile, type ServiceDefinition } from '@polluscope/common';
import { defaultClassifySegmentParams, loadActivityModel, parseBelowConfidence } from './domain/index.js';
import { createClassificationHandler } from './handler.js';

function confidenceSetting(setting: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) throw new PipelineError('CONFIG_INVALID', `${setting}: expected a number in 0..1, got "${text}"`, { setting });
  return value;
}

/** RULES_BELOW_CONFIDENCE: a number in 0..1, or `always` to apply the rules whatever the model's confidence. */
function rulesBelowConfidence(text: string | undefined, fallback: number | null): number | null {
  if (text === undefined || text === '') return fallback;
  const parsed = parseBelowConfidence(text);
  if (!parsed.ok) throw new PipelineError('CONFIG_INVALID', `RULES_BELOW_CONFIDENCE: ${parsed.reason}`, { setting: 'RULES_BELOW_CONFIDENCE' });
  return parsed.value;
}

export const classificationValidation: ServiceDefinition = {
  name: 'classification-validation',
  extraEnv: ['MODEL_PATH', 'REVIEW_MIN_CONFIDENCE', 'RULES_BELOW_CONFIDENCE', 'TIME_ZONE'],
  createHandler: ({ config, logger }) => {
    const path = config.extra.MODEL_PATH ?? join(DEFAULT_MODELS_DIR, 'activity-model.json');
    const model = watchModelFile(path, loadActivityModel, logger);
    const initial = model.current();
    if (initial === null) throw new PipelineError('MODEL_INVALID', `no usable activity model at ${path} (MODEL_PATH)`, { path });
    const defaults = defaultClassifySegmentParams;
    const rules =
      defaults.rules === null
        ? null
        : {
            ...defaults.rules,
            timeZone: config.extra.TIME_ZONE ?? defaults.rules.timeZone,
            belowConfidence: rulesBelowConfidence(config.extra.RULES_BELOW_CONFIDENCE, defaults.rules.belowConfidence),
          };
    return createClassificationHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      lateRetentionMs: 60 * 60_000,
      params: { ...defaults, rules, validation: { minConfidence: confidenceSetting('REVIEW_MIN_CONFIDENCE', config.extra.REVIEW_MIN_CONFIDENCE, defaults.validation.minConfidence) } },
      model: () => model.current() ?? initial,
    });
  },
};
