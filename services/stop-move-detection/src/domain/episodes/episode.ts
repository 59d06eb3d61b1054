/** Fields every episode carries. Times are epoch ms (UTC); indices are into the detector's input. */
interface EpisodeBase {
  readonly startMs: number;
  readonly endMs: number;
  /** Points labelled with this episode, absorbed GPS outliers included. */
  readonly pointCount: number;
  readonly durationS: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** True when the episode spans a time without fix longer than the detector's maxGapS. */
  readonly gap: boolean;
}

export interface StopEpisode extends EpisodeBase {
  readonly type: 'stop';
  readonly centroidLat: number;
  readonly centroidLon: number;
  /** Largest distance from the centroid to a point of the stop (outliers excluded), metres. */
  readonly radiusM: number;
  /** Most frequent Hilbert cell of the stop's points (smallest on ties), null when none. */
  readonly hilbert: number | null;
}

export interface MoveEpisode extends EpisodeBase {
  readonly type: 'move';
  /**
   * Position of this leg in its move, from 1 (docs/design.md §5.4: a move splits into legs at sustained
   * changes of speed regime). Consecutive legs share their boundary point: one ends where the next
   * starts.
   */
  readonly leg: number;
  /** Sum of haversine steps between the move's points, metres. */
  readonly distanceM: number;
  /** distanceM / durationS; null for a one-point move. */
  readonly meanSpeedMps: number | null;
  /** Percentiles and maximum of the step speeds (distance / time between consecutive points). */
  readonly p50SpeedMps: number | null;
  readonly p95SpeedMps: number | null;
  readonly maxSpeedMps: number | null;
}

export type Episode = StopEpisode | MoveEpisode;
