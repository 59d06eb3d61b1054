import * as Plot from '@observablehq/plot';
import type { GpsFix, ParticipantDay } from '../day/types.js';
import { clockTime } from './day-axis.js';
import { labelColourScale } from './label-colours.js';
import { gridLines, mapFrame, mercatorX, mercatorY, WORLD_PX, type MapFrame } from './map-frame.js';
import type { ChartOptions } from './series-chart.js';

export interface MapOptions extends ChartOptions {
  /** Tile template with {z}/{x}/{y}; null (the default): a plain background with the study grid only. */
  readonly tileUrl?: string | null;
}

const MARGIN = 8;

/** Minutes as "45 min" or "2 h 05". */
export function formatDuration(durationS: number): string {
  const minutes = Math.round(durationS / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
}

const episodeKey = (fix: GpsFix) => (fix.episodeStartMs === null ? 'none' : String(fix.episodeStartMs));

/** Tiles covering the frame at the zoom closest to the drawing's scale (only with a tile server). */
function tilesFor(frame: MapFrame, plotWidth: number, template: string) {
  const pxPerUnit = plotWidth / (frame.xDomain[1] - frame.xDomain[0]);
  const zoom = Math.max(0, Math.min(19, Math.round(Math.log2(pxPerUnit))));
  const size = WORLD_PX / 2 ** zoom;
  const tiles: { x: number; y: number; src: string }[] = [];
  for (let i = Math.floor(frame.xDomain[0] / size); i <= Math.floor(frame.xDomain[1] / size); i++) {
    for (let j = Math.floor(frame.yDomain[0] / size); j <= Math.floor(frame.yDomain[1] / size); j++) {
      tiles.push({ x: (i + 0.5) * size, y: (j + 0.5) * size, src: template.replace('{z}', String(zoom)).replace('{x}', String(i)).replace('{y}', String(j)) });
    }
  }
  return { tiles, tilePx: size * pxPerUnit };
}

/**
 * The day's fixes on a plain background with the study area's grid (or map tiles, when a tile
 * server is set): fixes coloured by the final label of their segment and joined episode by
 * episode, stops as circles sized by their duration and labelled with it. aria-descriptions `fixes`
 * and `stops` mark one circle per fix and per stop.
 */
export function trajectoryMap(day: ParticipantDay, options: MapOptions): SVGSVGElement | HTMLElement {
  const plotWidth = options.width - 2 * MARGIN;
  const frame = mapFrame([...day.fixes, ...day.stops], plotWidth);
  const grid = gridLines(day.grid, frame);
  const colour = labelColourScale(day.fixes.map((f) => f.finalLabel));
  const tiles = options.tileUrl ? tilesFor(frame, plotWidth, options.tileUrl) : null;
  const fixTitle = (f: GpsFix) =>
    `${clockTime(f.timeMs, day.timeZone)} ${f.finalLabel ?? 'unknown'}${f.episodeType === null ? '' : ` · ${f.episodeType}${f.transportMode ? ` (${f.transportMode})` : ''}`}`;
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: frame.plotHeight + 2 * MARGIN,
    margin: MARGIN,
    x: { domain: [...frame.xDomain], axis: null },
    // Mercator y grows southwards: reversed, north is up.
    y: { domain: [...frame.yDomain], axis: null, reverse: true },
    color: { type: 'ordinal', ...colour, legend: true },
    r: { range: [5, 22] },
    marks: [
      Plot.frame({ fill: '#f6f5ef', stroke: '#c9c6b8' }),
      ...(tiles === null
        ? []
        : [Plot.image(tiles.tiles, { x: 'x', y: 'y', src: 'src', width: tiles.tilePx, height: tiles.tilePx, clip: 'frame', ariaDescription: 'tiles' })]),
      Plot.ruleX(grid.xs, { stroke: '#d8d4c4', strokeWidth: 0.8, ariaDescription: 'grid' }),
      Plot.ruleY(grid.ys, { stroke: '#d8d4c4', strokeWidth: 0.8, ariaDescription: 'grid' }),
      Plot.line(day.fixes, { x: (f) => mercatorX(f.lon), y: (f) => mercatorY(f.lat), z: episodeKey, stroke: (f) => f.finalLabel ?? 'unknown', strokeOpacity: 0.5, strokeWidth: 1.5, ariaDescription: 'episodes' }),
      Plot.dot(day.fixes, { x: (f) => mercatorX(f.lon), y: (f) => mercatorY(f.lat), r: 2.2, fill: (f) => f.finalLabel ?? 'unknown', title: fixTitle, ariaDescription: 'fixes' }),
      Plot.dot(day.stops, {
        x: (s) => mercatorX(s.lon),
        y: (s) => mercatorY(s.lat),
        r: (s) => s.durationS,
        stroke: '#111',
        strokeWidth: 1.5,
        // Unfilled, so the stop's own fixes keep their colour under it.
        fill: 'none',
        title: (s) => `stop ${clockTime(s.startMs, day.timeZone)}–${clockTime(s.endMs, day.timeZone)}, ${formatDuration(s.durationS)}`,
        ariaDescription: 'stops',
      }),
      Plot.text(day.stops, {
        x: (s) => mercatorX(s.lon),
        y: (s) => mercatorY(s.lat),
        text: (s) => formatDuration(s.durationS),
        dy: -16,
        fontSize: 11,
        fontWeight: 'bold',
        stroke: '#fff',
        strokeWidth: 3,
        fill: '#111',
        paintOrder: 'stroke',
        ariaDescription: 'stop durations',
      }),
    ],
  });
}

/** The map's caption: what the grid lines are, and what was drawn. */
export function mapCaption(day: ParticipantDay, width: number): string {
  const grid = gridLines(day.grid, mapFrame([...day.fixes, ...day.stops], width - 2 * MARGIN));
  return `${day.fixes.length} GPS fixes coloured by the final label of their 5-minute segment and joined episode by episode; ${day.stops.length} stops as circles sized by their duration. Grey lines: the study area's grid, one line every ${grid.everyCells} cells (≈ ${grid.spacingM} m).`;
}
