import { describe, expect, it } from 'vitest';
import { serviceConfig } from '@polluscope/common';
import { resolveStayPointParams } from './domain/index.js';
import { stopMoveDetection, stopMoveParams } from './service.js';

const paramsOf = (env: Record<string, string>) => {
  const config = serviceConfig(stopMoveDetection, env);
  return stopMoveParams(config.settings, config.participantRetentionMs);
};

describe('stop-move-detection settings', () => {
  it('sets every stay-point parameter, the jitter and excursion limits derived from the diameter unless set', () => {
    const { stayPoint, retentionMs } = paramsOf({ STOP_MAX_DIAMETER_M: '3', STOP_MIN_DURATION_S: '2' });
    const resolved = resolveStayPointParams(stayPoint);
    expect([resolved.maxDiameterM, resolved.minDurationS, resolved.maxJitterM, resolved.maxExcursionM, resolved.maxStopGapS]).toEqual([3, 2, 3, 6, 43_200]);
    expect(retentionMs).toBe(13 * 3_600_000);
    const set = resolveStayPointParams(paramsOf({ STOP_MAX_DIAMETER_M: '3', STOP_MAX_JITTER_M: '10', STOP_MAX_EXCURSION_M: '25', MOVE_LEG_SPEED_MPS: '3' }).stayPoint);
    expect([set.maxJitterM, set.maxExcursionM, set.legSpeedMps]).toEqual([10, 25, 3]);
  });

  it('refuses a participant retention shorter than the longest gap a stop may span, naming the setting', () => {
    expect(() => paramsOf({ PARTICIPANT_RETENTION_MS: '7200000' })).toThrow(/^PARTICIPANT_RETENTION_MS: must be at least 46800000/);
    expect(paramsOf({ PARTICIPANT_RETENTION_MS: '7200000', STOP_MAX_STOP_GAP_S: '3600' }).retentionMs).toBe(7_200_000);
    expect(() => paramsOf({ STOP_MAX_STOP_GAP_S: '60' })).toThrow(/^STOP_MAX_STOP_GAP_S: must be at least STOP_MAX_GAP_S/);
  });
});
