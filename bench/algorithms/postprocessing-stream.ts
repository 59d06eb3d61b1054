/**
 * Postprocessing's streaming update (`updateTimelineState`, what the service's handler calls per
 * participant and poll) at the shape of a live day: participants × 1 local day of 5-minute
 * segments, each arriving 30 s after its end; stops (20 min–3 h) and moves (5–40 min) in turn,
 * the open episode re-sent every 2 minutes while it grows (a move without its mode until it ends),
 * then its final version; 1 % of segments reviewed half an hour later. The records of all
 * participants are ordered by arrival and cut into polls of one minute, so a poll holds a record
 * or two per participant, and each participant's share of a poll is one update; an idle flush
 * ends the day. Records/s counts every input record; the note gives the time per update.
 */
import { MOVE_MODES } from '@polluscope/common/domain';
import {
  createTimelineState,
  updateTimelineState,
  type ActivitySegmentRecord,
  type GpsEpisodeRecord,
  type ReviewDecisionRecord,
  type TimelineInput,
  type TimelineState,
} from '@polluscope/postprocessing/domain';
import { lcg, SEGMENT_MS, simulatedSegment, STOP_LABELS } from './simulated-timeline.js';
import type { AlgorithmBenchmark } from './types.js';

/** 2024-03-05 00:00 in Paris. */
const DAY_START_MS = Date.UTC(2024, 2, 4, 23, 0);
const MINUTE_MS = 60_000;
const SEGMENTS_PER_DAY = 288;
const RESEND_MS = 2 * MINUTE_MS;
const POLL_MS = MINUTE_MS;

export type TimelineArrival = { readonly atMs: number; readonly participant: string } & (
  | { readonly segment: ActivitySegmentRecord }
  | { readonly episode: GpsEpisodeRecord }
  | { readonly decision: ReviewDecisionRecord }
);

/** One participant's day (from 00:00 Paris on 2024-03-05) as records in their order of arrival. */
export function participantDay(participant: string, seed: number): TimelineArrival[] {
  const random = lcg(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const endMs = DAY_START_MS + SEGMENTS_PER_DAY * SEGMENT_MS;
  const arrivals: TimelineArrival[] = [];
  const episodes: GpsEpisodeRecord[] = [];
  for (let t = DAY_START_MS, stop = true; t < endMs; stop = !stop) {
    const durationMs = Math.round((stop ? 20 + random() * 160 : 5 + random() * 35) * MINUTE_MS);
    const final: GpsEpisodeRecord = {
      participant_virtual_id: participant,
      episode_start: t,
      episode_end: t + durationMs,
      episode_type: stop ? 'stop' : 'move',
      transport_mode: stop ? null : pick(MOVE_MODES),
      transport_probability: stop ? null : 0.4 + random() * 0.6,
    };
    episodes.push(final);
    for (let sentMs = t + RESEND_MS; sentMs < final.episode_end; sentMs += RESEND_MS) {
      const open = { ...final, episode_end: sentMs, transport_mode: null, transport_probability: null };
      arrivals.push({ atMs: sentMs, participant, episode: stop ? { ...open, episode_type: 'stop' } : open });
    }
    arrivals.push({ atMs: final.episode_end, participant, episode: final });
    t += durationMs + MINUTE_MS;
  }
  let episode = 0;
  for (let i = 0; i < SEGMENTS_PER_DAY; i++) {
    const start = DAY_START_MS + i * SEGMENT_MS;
    while (episodes[episode]!.episode_end < start) episode++;
    const current = episodes[episode]!;
    const truth = current.episode_type === 'move' ? current.transport_mode! : STOP_LABELS[episode % STOP_LABELS.length]!;
    const segment = simulatedSegment(random, participant, start, truth);
    arrivals.push({ atMs: segment.segment_end + 30_000, participant, segment });
    if (random() < 0.01) {
      const decidedAt = segment.segment_end + 30 * MINUTE_MS;
      arrivals.push({ atMs: decidedAt, participant, decision: { participant_virtual_id: participant, segment_start: start, label: truth, reviewer: 'bench', comment: null, decided_at: decidedAt } });
    }
  }
  return arrivals;
}

/** The updates of a poll-by-poll run: per poll, per participant, that participant's records. */
export function polls(participants: number): { updates: [string, TimelineInput][]; records: number } {
  const arrivals = Array.from({ length: participants }, (_, p) => participantDay(`bench-${p}`, 11 + p)).flat();
  arrivals.sort((a, b) => a.atMs - b.atMs);
  const updates: [string, TimelineInput][] = [];
  let i = 0;
  while (i < arrivals.length) {
    const pollEndMs = (Math.floor(arrivals[i]!.atMs / POLL_MS) + 1) * POLL_MS;
    const byParticipant = new Map<string, { segments: ActivitySegmentRecord[]; episodes: GpsEpisodeRecord[]; decisions: ReviewDecisionRecord[] }>();
    for (; i < arrivals.length && arrivals[i]!.atMs < pollEndMs; i++) {
      const arrival = arrivals[i]!;
      let input = byParticipant.get(arrival.participant);
      if (!input) byParticipant.set(arrival.participant, (input = { segments: [], episodes: [], decisions: [] }));
      if ('segment' in arrival) input.segments.push(arrival.segment);
      else if ('episode' in arrival) input.episodes.push(arrival.episode);
      else input.decisions.push(arrival.decision);
    }
    updates.push(...byParticipant);
  }
  for (let p = 0; p < participants; p++) updates.push([`bench-${p}`, { flush: true }]);
  return { updates, records: arrivals.length };
}

/** Emitted entries the state keeps for re-emission and exposure. */
function emittedEntries(state: TimelineState): number {
  return [...state.emitted.values()].reduce((n, day) => n + day.size, 0);
}

interface StreamRun {
  readonly updates: number;
  readonly outputs: number;
  readonly states: readonly TimelineState[];
}

/** Participants (1 day each) of each size, and their record counts, generated once on first use. */
const PARTICIPANTS = [3, 30];
let recordCounts: Map<number, number> | null = null;
const participantsFor = (records: number): number => [...recordCounts!].find(([, n]) => n === records)![0];

const streamUpdate: AlgorithmBenchmark = {
  name: 'timeline stream update (participants × 1 day, polls of a minute)',
  unit: 'records',
  get sizes() {
    recordCounts ??= new Map(PARTICIPANTS.map((n) => [n, polls(n).records]));
    return [...recordCounts.values()];
  },
  prepare(size) {
    const { updates } = polls(participantsFor(size));
    return (): StreamRun => {
      const states = new Map<string, TimelineState>();
      let outputs = 0;
      for (const [participant, input] of updates) {
        let state = states.get(participant);
        if (!state) states.set(participant, (state = createTimelineState(participant)));
        const result = updateTimelineState(state, input);
        outputs += result.timeline.length + result.exposure.length;
      }
      return { updates: updates.length, outputs, states: [...states.values()] };
    };
  },
  report(output, size, medianWallMs) {
    const run = output as StreamRun;
    const held = run.states.reduce((sum, s) => sum + Object.keys(s.segments).length + Object.keys(s.episodes).length + emittedEntries(s), 0);
    return `${participantsFor(size)} participants: ${run.updates} updates, ${((medianWallMs * 1000) / run.updates).toFixed(1)} µs per update; ${run.outputs} records out; ${held} records held at the end`;
  },
};

export const postprocessingStreamBenchmarks: AlgorithmBenchmark[] = [streamUpdate];
