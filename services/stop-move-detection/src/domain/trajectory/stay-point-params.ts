/** Parameters of the stay-point detector; docs/stop-detection.md explains each default. */
export interface StayPointParams {
  /** A stop starts when a run of points fits in a box whose diagonal is at most this, metres. */
  readonly maxDiameterM: number;
  /** ... and that run lasts at least this long, seconds. */
  readonly minDurationS: number;
  /** ... and holds at least this many points (absorbed outliers not counted). */
  readonly minPoints: number;
  /**
   * Two consecutive points further apart in time than this are a gap, seconds. A gap whose two
   * sides lie within maxDiameterM of each other and lasts at most maxStopGapS is time spent in one
   * place: a stop spans it (flag `gap`). Any other gap ends an open stop at its last point, and no
   * candidate window spans it. A move is not ended by a gap of at most maxMoveGapS: underground
   * transport (a Métro ride) has no fix between its entrance and its exit.
   */
  readonly maxGapS: number;
  /**
   * A gap longer than this whose sides are apart ends an open move too, at its last point before
   * the gap, seconds. At least maxGapS (else RangeError). Default 3600 s: above the longest gap
   * inside a move of the simulated study (39 min), well below a night.
   */
  readonly maxMoveGapS: number;
  /**
   * A gap whose two sides lie within maxDiameterM of each other belongs to one stop spanning it
   * when it lasts at most this, seconds (default 12 h: a night at home stays one stop, a tablet
   * off for days does not). At least maxGapS (else RangeError).
   */
  readonly maxStopGapS: number;
  /**
   * Once confirmed, a stop keeps every point within this distance of its running centroid
   * (outliers excluded), metres; undefined: maxDiameterM. The GPS jitter of a long stay spreads
   * wider than the confirming diameter, so the stop may span up to twice this value.
   */
  readonly maxJitterM?: number | undefined;
  /**
   * A confirmed stop is not ended by an excursion: a run of points beyond maxJitterM that comes
   * back within it, lasting at most maxExcursionS seconds (first to last point of the run) and
   * with at most maxOutlierPoints of its points beyond maxExcursionM of the centroid, metres
   * (undefined: 2 × maxDiameterM). A longer or farther run ends the stop at its first point.
   */
  readonly maxExcursionM?: number | undefined;
  readonly maxExcursionS: number;
  /**
   * Up to this many consecutive points outside the current stop (or candidate) are absorbed as
   * GPS outliers when the point after them is inside again; 0 disables the rule.
   */
  readonly maxOutlierPoints: number;
  /**
   * A move splits into legs where its speed regime (step speed below or at least legSpeedMps,
   * m/s) changes for at least minLegDurationS seconds; shorter runs join their neighbours.
   */
  readonly legSpeedMps: number;
  readonly minLegDurationS: number;
}

/** Stay-point parameters with every derived value filled in. */
export interface ResolvedStayPointParams extends StayPointParams {
  readonly maxJitterM: number;
  readonly maxExcursionM: number;
}

export const defaultStayPointParams: StayPointParams = Object.freeze({
  maxDiameterM: 100,
  minDurationS: 120,
  minPoints: 3,
  maxGapS: 300,
  maxMoveGapS: 3600,
  maxStopGapS: 43_200,
  maxJitterM: undefined,
  maxExcursionM: undefined,
  maxExcursionS: 120,
  maxOutlierPoints: 1,
  legSpeedMps: 2.5,
  minLegDurationS: 120,
});

/**
 * Fills in the limits derived from maxDiameterM (jitter = diameter, excursion = 2 × diameter)
 * and checks the gap ordering (RangeError).
 *
 * @example resolveStayPointParams({ ...defaultStayPointParams, maxDiameterM: 3 }).maxExcursionM // 6
 */
export function resolveStayPointParams(params: StayPointParams): ResolvedStayPointParams {
  if (!(params.maxMoveGapS >= params.maxGapS)) {
    throw new RangeError(`maxMoveGapS (${params.maxMoveGapS} s) must be at least maxGapS (${params.maxGapS} s)`);
  }
  if (!(params.maxStopGapS >= params.maxGapS)) {
    throw new RangeError(`maxStopGapS (${params.maxStopGapS} s) must be at least maxGapS (${params.maxGapS} s)`);
  }
  return {
    ...params,
    maxJitterM: params.maxJitterM ?? params.maxDiameterM,
    maxExcursionM: params.maxExcursionM ?? 2 * params.maxDiameterM,
  };
}
