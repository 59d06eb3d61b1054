import { haversineDistanceM } from '@polluscope/common/domain';
import type { TrackPoint } from '../trajectory/track-point.js';
import type { Episode, MoveEpisode, StopEpisode } from './episode.js';
import { quantileSorted } from 'simple-statistics';

/**
 * Statistics of the episode made of `points[first..last]` (docs/design.md §5.4). Points whose
 * `isOutlier(i)` is true count in `pointCount` but not in the geometry or speeds.
 * `indexBase` is added to the indices the episode reports. A step longer than `maxGapMs` sets
 * `gap`; `leg` is the move's leg number (1 for a whole move).
 *
 * @example buildEpisode('stop', points, 0, points.length - 1).radiusM
 */
export function buildEpisode(
  type: 'stop' | 'move',
  points: readonly TrackPoint[],
  first: number,
  last: number,
  isOutlier: (i: number) => boolean = () => false,
  indexBase = 0,
  maxGapMs = Number.POSITIVE_INFINITY,
  leg = 1,
): Episode {
  const startMs = points[first]!.timeMs;
  const endMs = points[last]!.timeMs;
  let gap = false;
  for (let i = first + 1; i <= last && !gap; i++) gap = points[i]!.timeMs - points[i - 1]!.timeMs > maxGapMs;
  const base = {
    startMs,
    endMs,
    pointCount: last - first + 1,
    durationS: (endMs - startMs) / 1000,
    firstIndex: first + indexBase,
    lastIndex: last + indexBase,
    gap,
  };
  return type === 'stop' ? stopStatistics(base, points, first, last, isOutlier) : moveStatistics(base, points, first, last, isOutlier, leg);
}

type Base = Omit<StopEpisode, 'type' | 'centroidLat' | 'centroidLon' | 'radiusM' | 'hilbert'>;

function stopStatistics(base: Base, points: readonly TrackPoint[], first: number, last: number, isOutlier: (i: number) => boolean): StopEpisode {
  let sumLat = 0;
  let sumLon = 0;
  let n = 0;
  const cells = new Map<number, number>();
  for (let i = first; i <= last; i++) {
    if (isOutlier(i)) continue;
    const p = points[i]!;
    sumLat += p.lat;
    sumLon += p.lon;
    n++;
    if (p.hilbert !== null && p.hilbert !== undefined) cells.set(p.hilbert, (cells.get(p.hilbert) ?? 0) + 1);
  }
  // The mean of the coordinates, as turf's centroid computes it, without building GeoJSON per stop.
  const centroidLat = sumLat / n;
  const centroidLon = sumLon / n;
  let radiusM = 0;
  for (let i = first; i <= last; i++) {
    if (isOutlier(i)) continue;
    const p = points[i]!;
    radiusM = Math.max(radiusM, haversineDistanceM(centroidLat, centroidLon, p.lat, p.lon));
  }
  let hilbert: number | null = null;
  let best = 0;
  for (const [cell, count] of cells) {
    if (count > best || (count === best && hilbert !== null && cell < hilbert)) {
      hilbert = cell;
      best = count;
    }
  }
  return { type: 'stop', ...base, centroidLat, centroidLon, radiusM, hilbert };
}

function moveStatistics(base: Base, points: readonly TrackPoint[], first: number, last: number, isOutlier: (i: number) => boolean, leg: number): MoveEpisode {
  const speeds: number[] = [];
  let distanceM = 0;
  let prev: TrackPoint | null = null;
  let firstMs = Number.NaN;
  let lastMs = Number.NaN;
  for (let i = first; i <= last; i++) {
    if (isOutlier(i)) continue;
    const p = points[i]!;
    if (prev === null) firstMs = p.timeMs;
    else {
      const stepM = haversineDistanceM(prev.lat, prev.lon, p.lat, p.lon);
      distanceM += stepM;
      speeds.push(stepM / ((p.timeMs - prev.timeMs) / 1000));
    }
    lastMs = p.timeMs;
    prev = p;
  }
  if (speeds.length === 0) {
    return { type: 'move', ...base, leg, distanceM, meanSpeedMps: null, p50SpeedMps: null, p95SpeedMps: null, maxSpeedMps: null };
  }
  const sorted = Array.from(Float64Array.from(speeds).sort());
  return {
    type: 'move',
    ...base,
    leg,
    distanceM,
    meanSpeedMps: distanceM / ((lastMs - firstMs) / 1000),
    p50SpeedMps: quantileSorted(sorted, 0.5),
    p95SpeedMps: quantileSorted(sorted, 0.95),
    maxSpeedMps: sorted[sorted.length - 1]!,
  };
}
