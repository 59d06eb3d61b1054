/** A small participant-day for the chart tests. */
import { buildParticipantDay } from '../day/build-participant-day.js';
import { at, exposureRow, timelineRow } from '../day/test-rows.js';

// 2026-01-12 in Paris: 23:00 UTC the evening before to 23:00 UTC.
export const day = buildParticipantDay({
  participant: 'sim-001',
  day: '2026-01-12',
  timeZone: 'Europe/Paris',
  dayStart: at(-60),
  dayEnd: at(1380),
  minutes: [],
  timeline: [timelineRow(0, { declared: null }), timelineRow(5, { final: 'Walk', predicted: null })],
  fixes: [],
  stops: [],
  exposure: [exposureRow('Domicile', 20, 0.75), exposureRow('Walk', 5, 0.25), exposureRow('Bus', 0, 0)],
});
