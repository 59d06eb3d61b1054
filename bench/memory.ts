/**
 * `npx tsx bench/memory.ts [stage]` (run by `npm run bench` after the algorithms): whether each
 * service's state stays bounded with 1,000 participants (issue 20). Each stage runs in its own
 * Node process (`--expose-gc`) on its real handler built with the service's defaults, fed as the
 * runner feeds it: the records of all participants in order of arrival, in polls of one second of
 * a fake processing clock, an idle flush after every poll (the runner's idle timer), the
 * changelog produced and acknowledged for the stage that keeps one. The heap is read after a
 * forced collection; the stage's share is the difference from the heap before its handler existed.
 *
 * Phases: 1,000 participants fed 6 h (measured at 2 h and 6 h: the state should be bounded by
 * the stage's context windows, not by the hours fed); then the first half only for 1 h, and the
 * clock jumps to just past the stage's retention after the other half's last record: the silent
 * half must be evicted, the first half (silent less than the retention) kept.
 *
 * Inputs: the CLI simulator's participants (raw.sensor, raw.gps), and for the stages further down
 * the records the stage upstream emits from them (the real handlers, run once before the
 * measurement); postprocessing reads the timeline benchmark's segments and episodes. 50 simulated
 * participants are each played by 20 participant ids, every record a fresh object under its own id.
 * Not a test: nothing here passes or fails, it measures.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_MODELS_DIR,
  DEFAULT_PARTICIPANT_RETENTION_MS,
  hasChangelog,
  loadModelFile,
  SHARED_SETTINGS,
  TOPICS,
  type InputRecord,
  type KeyedStage,
  type OutputRecord,
  type ServiceName,
} from '@polluscope/common';
import { createClassificationHandler } from '@polluscope/classification-validation';
import { loadActivityModel } from '@polluscope/classification-validation/domain';
import { createGpsHandler } from '@polluscope/gps-preprocessing';
import { createPostprocessingHandler, TIMELINE_STATE_RETENTION_MS } from '@polluscope/postprocessing';
import type { TimelineState } from '@polluscope/postprocessing/domain';
import { createStopMoveHandler, minParticipantRetentionMs } from '@polluscope/stop-move-detection';
import { defaultStayPointParams, parseTransportModel } from '@polluscope/stop-move-detection/domain';
import { createTimeseriesHandler } from '@polluscope/timeseries-preprocessing';
import { retainedRows, type SensorRow, type StreamingCleanerState } from '@polluscope/timeseries-preprocessing/domain';
import { defaultSimulationParams, simulate } from '../cli/src/simulator/index.js';
import { participantDay } from './algorithms/postprocessing-stream.js';
import { describeMachine, machine, table, writeResults } from './pipeline/report.js';
import { rawGpsValue, rawSensorValue } from './pipeline/simulated-records.js';

const PARTICIPANTS = 1000;
/** Distinct simulated participants; participant i plays template i mod TEMPLATES. */
const TEMPLATES = 50;
/** The runner's idle timer fires every second with the default idle timeout; a poll takes what arrived since. */
const POLL_MS = 1000;
const HOUR_MS = 3_600_000;
const MEASURED_AT_H = [2, 6] as const;
/** How long the first half alone is fed before the clock jumps past the retention. */
const HALF_FEED_MS = HOUR_MS;
/** A fix every 30 s: within the detector's 5-minute gap, and a day of 1,000 participants stays quick. */
const GPS_RATE_HZ = 1 / 30;
/** 06:00 in Paris on the simulator's first day (2026-01-05): the feed begins with the morning. */
const SIMULATED_FEED_START_MS = Date.UTC(2026, 0, 5, 5, 0);
/** Raw rows reach the topic shortly after their time: a sensor minute once complete, a fix a few seconds later. */
const SENSOR_DELAY_MS = 60_000;
const GPS_DELAY_MS = 5_000;
const FEED_HOURS = MEASURED_AT_H.at(-1)! + HALF_FEED_MS / HOUR_MS;

const defaults = SHARED_SETTINGS.properties;
const SETTINGS = {
  allowedLatenessMs: defaults.ALLOWED_LATENESS_MS.default,
  idleTimeoutMs: defaults.IDLE_TIMEOUT_MS.default,
  maxFutureMs: defaults.MAX_FUTURE_MS.default,
};

/** A template participant's record, reaching its topic at `atMs`. */
interface Arrival {
  readonly atMs: number;
  readonly template: number;
  readonly topic: string;
  readonly value: Readonly<Record<string, unknown>>;
}

interface StageSetup {
  readonly name: ServiceName;
  /** The stage's default retention of a silent participant's state, ms. */
  readonly retentionMs: number;
  /** The template participants' records in order of arrival (built before the measurement). */
  arrivals(): Promise<Arrival[]>;
  /** The handler as the service's `service.ts` builds it with its defaults, on the given clock. */
  handler(clock: () => number): KeyedStage<unknown>;
  /** What one participant's state holds, counted by structure: the table's notes say what grows. */
  counts(state: unknown): Readonly<Record<string, number>>;
  /** A note on the whole stage's state beyond the counts. */
  describe?(handler: KeyedStage<unknown>, participants: readonly string[], nowMs: number): string;
}

/** Per structure, the mean and the largest count over the participants held. */
function heldCounts(setup: StageSetup, handler: KeyedStage<unknown>, participants: readonly string[]): string {
  const sums = new Map<string, { total: number; max: number }>();
  let held = 0;
  for (const participant of participants) {
    const entry = handler.entry(participant);
    if (entry === undefined) continue;
    held++;
    for (const [name, n] of Object.entries(setup.counts(entry.state))) {
      const sum = sums.get(name) ?? { total: 0, max: 0 };
      sums.set(name, { total: sum.total + n, max: Math.max(sum.max, n) });
    }
  }
  return [...sums].map(([name, { total, max }]) => `${name} ${(total / Math.max(held, 1)).toFixed(1)} (max ${max})`).join(', ');
}

const templateId = (template: number) => `template-${template}`;
const participantId = (index: number) => `participant-${String(index).padStart(4, '0')}`;
const byArrival = (a: Arrival, b: Arrival) => a.atMs - b.atMs || a.template - b.template;

/** The simulator's first day of TEMPLATES participants, as raw.sensor or raw.gps records within the feed. */
function simulatedRaw(kind: 'sensor' | 'gps'): Arrival[] {
  const arrivals: Arrival[] = [];
  const endMs = SIMULATED_FEED_START_MS + FEED_HOURS * HOUR_MS;
  const within = (atMs: number) => atMs >= SIMULATED_FEED_START_MS && atMs < endMs;
  let template = 0;
  let rowId = 1;
  for (const chunk of simulate({ ...defaultSimulationParams, participants: TEMPLATES, days: 1, gpsRateHz: GPS_RATE_HZ, seed: 20 })) {
    const id = templateId(template);
    if (kind === 'sensor') {
      for (const r of chunk.sensor) {
        const atMs = r.timeMs + SENSOR_DELAY_MS;
        if (within(atMs)) arrivals.push({ atMs, template, topic: TOPICS.rawSensor.name, value: rawSensorValue(rowId++, id, r) });
      }
    } else {
      for (const r of chunk.gps) {
        const atMs = r.timeMs + GPS_DELAY_MS;
        if (within(atMs)) arrivals.push({ atMs, template, topic: TOPICS.rawGps.name, value: rawGpsValue(rowId++, id, r) });
      }
    }
    template++;
  }
  return arrivals.sort(byArrival);
}

/** What a stage upstream emits on `topic` from the templates' records, each arriving at the poll that emitted it. */
async function emittedBy(upstream: StageSetup, topic: string): Promise<Arrival[]> {
  const arrivals = await upstream.arrivals();
  const feed = new StageFeed(upstream, arrivals, TEMPLATES);
  const emitted: Arrival[] = [];
  const templateOf = new Map(Array.from({ length: TEMPLATES }, (_, t) => [templateId(t), t]));
  feed.onOutput = (output, atMs) => {
    if (output.topic.name === topic) emitted.push({ atMs, template: templateOf.get(output.key)!, topic, value: output.value as Record<string, unknown> });
  };
  await feed.feed(feed.startMs + FEED_HOURS * HOUR_MS, () => true);
  return emitted.sort(byArrival);
}


const timeseries: StageSetup = {
  name: 'timeseries-preprocessing',
  retentionMs: DEFAULT_PARTICIPANT_RETENTION_MS,
  arrivals: async () => simulatedRaw('sensor'),
  handler: (clock) => createTimeseriesHandler({ ...SETTINGS, clock }),
  counts: (state) => {
    const s = state as { cleaner: StreamingCleanerState<SensorRow>; kits: ReadonlyMap<number, unknown> };
    return { 'rows held': retainedRows(s.cleaner).length, 'kit minutes': s.kits.size };
  },
};

const gps: StageSetup = {
  name: 'gps-preprocessing',
  retentionMs: DEFAULT_PARTICIPANT_RETENTION_MS,
  arrivals: async () => simulatedRaw('gps'),
  handler: (clock) => createGpsHandler({ ...SETTINGS, clock }),
  counts: (state) => {
    const s = state as { pending: readonly unknown[]; cleaned: ReadonlyMap<number, unknown> };
    return { 'fixes pending': s.pending.length, 'fixes remembered for repeats': s.cleaned.size };
  },
};

const classification: StageSetup = {
  name: 'classification-validation',
  retentionMs: DEFAULT_PARTICIPANT_RETENTION_MS,
  arrivals: () => emittedBy(timeseries, TOPICS.sensorClean.name),
  handler: () => {
    const model = loadModelFile(join(DEFAULT_MODELS_DIR, 'activity-model.json'), loadActivityModel);
    // SEGMENT_LATE_RETENTION_MS's default (classification-validation/src/service.ts).
    return createClassificationHandler({ ...SETTINGS, lateRetentionMs: 60 * 60_000, model: () => model });
  },
  counts: (state) => {
    const segments = [...(state as { segments: ReadonlyMap<number, { minutes: ReadonlyMap<number, unknown> }> }).segments.values()];
    return { segments: segments.length, minutes: segments.reduce((n, segment) => n + segment.minutes.size, 0) };
  },
};

/** The part of stop-move-detection's state the notes read (its type is the handler's own). */
interface StopMoveStateView {
  readonly points: readonly unknown[];
  readonly detector: { readonly mode: string; readonly points: readonly unknown[]; readonly stop: { readonly startMs: number; readonly pointCount: number } | null };
}

const stopMove: StageSetup = {
  name: 'stop-move-detection',
  retentionMs: minParticipantRetentionMs(defaultStayPointParams.maxStopGapS, defaultStayPointParams.maxMoveGapS),
  arrivals: () => emittedBy(gps, TOPICS.gpsClean.name),
  handler: () => {
    const model = loadModelFile(join(DEFAULT_MODELS_DIR, 'transport-model.json'), parseTransportModel);
    return createStopMoveHandler({ ...SETTINGS, transportModel: () => model });
  },
  counts: (state) => {
    const s = state as StopMoveStateView;
    return { 'fixes held': s.points.length, 'detector fixes': s.detector.points.length };
  },
  // A participant in a long stop must hold the stop's summary, not its fixes (docs/stream-runtime.md).
  describe(handler, participants, nowMs) {
    let stopped = 0;
    let longest = { hours: 0, stopFixes: 0, fixesHeld: 0 };
    for (const participant of participants) {
      const state = handler.entry(participant)?.state as StopMoveStateView | undefined;
      const stop = state?.detector.mode === 'stopped' ? state.detector.stop : null;
      if (state === undefined || stop === null) continue;
      stopped++;
      const hours = (nowMs - stop.startMs) / HOUR_MS;
      if (hours > longest.hours) longest = { hours, stopFixes: stop.pointCount, fixesHeld: state.points.length };
    }
    return `${stopped} in a stop; the longest open, ${longest.hours.toFixed(1)} h of ${longest.stopFixes} fixes, holds ${longest.fixesHeld} fixes`;
  },
};

const postprocessing: StageSetup = {
  name: 'postprocessing',
  retentionMs: TIMELINE_STATE_RETENTION_MS,
  async arrivals() {
    const topicOf = { segment: TOPICS.activitySegments.name, episode: TOPICS.gpsEpisodes.name, decision: TOPICS.reviewDecisions.name };
    const arrivals: Arrival[] = [];
    for (let template = 0; template < TEMPLATES; template++) {
      for (const a of participantDay(templateId(template), 11 + template)) {
        const [kind, value] = 'segment' in a ? (['segment', a.segment] as const) : 'episode' in a ? (['episode', a.episode] as const) : (['decision', a.decision] as const);
        arrivals.push({ atMs: a.atMs, template, topic: topicOf[kind], value: value as unknown as Record<string, unknown> });
      }
    }
    return arrivals.sort(byArrival);
  },
  // Decisions on segments the state no longer holds are applied from the warehouse's reviews: not
  // the state measured here, and none is that old in a 7-hour feed.
  handler: () => createPostprocessingHandler({ idleTimeoutMs: SETTINGS.idleTimeoutMs, onLateDecisions: async () => [] }),
  counts: (entry) => {
    const { state, held } = entry as { state: TimelineState; held: ReadonlyMap<string, readonly unknown[]> };
    return {
      segments: Object.keys(state.segments).length,
      episodes: Object.keys(state.episodes).length,
      'emitted entries': [...state.emitted.values()].reduce((n, day) => n + day.size, 0),
      'held offsets': [...held.values()].reduce((n, records) => n + records.length, 0),
    };
  },
};

const STAGES: readonly StageSetup[] = [timeseries, classification, gps, stopMove, postprocessing];

/**
 * A stage's handler driven as the runner drives it: polls of a second on a fake clock, every
 * template's record handed out under each of its players' ids as a fresh object, an idle flush
 * after every poll, the changelog produced and acknowledged at once.
 */
class StageFeed {
  readonly handler: KeyedStage<unknown>;
  readonly startMs: number;
  nowMs: number;
  onOutput: ((output: OutputRecord, atMs: number) => void) | null = null;
  records = 0;
  deadLetters = 0;
  /** players[t]: the participant ids that play template t. */
  readonly players: readonly (readonly string[])[];
  private next = 0;
  private readonly offsets = new Map<string, number>();

  constructor(setup: StageSetup, private readonly arrivals: readonly Arrival[], participants: number) {
    this.handler = setup.handler(() => this.nowMs);
    this.startMs = Math.floor(arrivals[0]!.atMs / HOUR_MS) * HOUR_MS;
    this.nowMs = this.startMs;
    const players: string[][] = Array.from({ length: TEMPLATES }, () => []);
    for (let i = 0; i < participants; i++) players[i % TEMPLATES]!.push(participants === TEMPLATES ? templateId(i) : participantId(i));
    this.players = players;
  }

  /** Feeds the records arriving before `untilMs` to the participants `included` keeps. */
  async feed(untilMs: number, included: (participantIndex: number) => boolean): Promise<void> {
    for (let pollEndMs = this.nowMs + POLL_MS; pollEndMs <= untilMs; pollEndMs += POLL_MS) {
      const batch: InputRecord[] = [];
      for (; this.next < this.arrivals.length && this.arrivals[this.next]!.atMs < pollEndMs; this.next++) {
        const arrival = this.arrivals[this.next]!;
        this.players[arrival.template]!.forEach((participant, replica) => {
          if (included(arrival.template + replica * TEMPLATES)) batch.push(this.input(arrival, participant));
        });
      }
      this.nowMs = pollEndMs;
      await this.process(batch);
      this.emit(this.handler.flushIdle(this.nowMs));
    }
  }

  /** The runner's idle timer at `nowMs`, with no record since the last poll. */
  flushAt(nowMs: number): void {
    this.nowMs = nowMs;
    this.emit(this.handler.flushIdle(nowMs));
  }

  private input(arrival: Arrival, participant: string): InputRecord {
    const offset = this.offsets.get(arrival.topic) ?? 0;
    this.offsets.set(arrival.topic, offset + 1);
    return { topic: arrival.topic, partition: 0, offset, key: participant, value: { ...arrival.value, participant_virtual_id: participant } };
  }

  private async process(batch: readonly InputRecord[]): Promise<void> {
    if (batch.length === 0) return;
    this.records += batch.length;
    const valid = batch.filter((record) => this.handler.validate(record.topic, record.value) === null);
    this.deadLetters += batch.length - valid.length;
    const outputs = await this.handler.process(valid, this.nowMs, () => this.deadLetters++);
    this.emit(outputs);
  }

  private emit(outputs: readonly OutputRecord[]): void {
    if (this.onOutput !== null) for (const output of outputs) this.onOutput(output, this.nowMs);
    if (hasChangelog(this.handler)) this.handler.changelogProduced(this.handler.changelogRecords(this.nowMs));
  }
}

interface Measurement {
  readonly participantsHeld: number;
  /** Heap used after a forced collection, minus the same before the handler existed, bytes. */
  readonly stateBytes: number;
  readonly heapUsedBytes: number;
  readonly note?: string;
}

interface StageResult {
  readonly stage: ServiceName;
  readonly retentionMs: number;
  readonly records: number;
  readonly deadLetters: number;
  readonly seconds: number;
  readonly baselineHeapBytes: number;
  readonly afterHours: Readonly<Record<string, Measurement>>;
  readonly afterEviction: Measurement;
}

/** Heap used after full collections (the second finishes what the first's finalisers freed). */
function heapUsedAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measureStage(setup: StageSetup): Promise<StageResult> {
  const started = performance.now();
  let arrivals: Arrival[] | null = await setup.arrivals();
  const feed = new StageFeed(setup, arrivals, PARTICIPANTS);
  arrivals = null; // the feed holds them: part of the baseline
  const everyone = feed.players.flat();
  const baselineHeapBytes = heapUsedAfterGc();
  const measure = (): Measurement => {
    const heapUsedBytes = heapUsedAfterGc();
    const note = [heldCounts(setup, feed.handler, everyone), setup.describe?.(feed.handler, everyone, feed.nowMs)].filter(Boolean).join('; ');
    return { participantsHeld: feed.handler.participantsHeld(), stateBytes: heapUsedBytes - baselineHeapBytes, heapUsedBytes, ...(note ? { note } : {}) };
  };
  const afterHours: Record<string, Measurement> = {};
  for (const hours of MEASURED_AT_H) {
    await feed.feed(feed.startMs + hours * HOUR_MS, () => true);
    afterHours[`${hours}h`] = measure();
  }
  const lastSeenBySilentHalfMs = feed.nowMs;
  await feed.feed(feed.nowMs + HALF_FEED_MS, (index) => index < PARTICIPANTS / 2);
  feed.flushAt(lastSeenBySilentHalfMs + setup.retentionMs + POLL_MS);
  const afterEviction = measure();
  return {
    stage: setup.name,
    retentionMs: setup.retentionMs,
    records: feed.records,
    deadLetters: feed.deadLetters,
    seconds: (performance.now() - started) / 1000,
    baselineHeapBytes,
    afterHours,
    afterEviction,
  };
}

const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);
const perParticipant = (m: Measurement) => (m.participantsHeld === 0 ? '-' : Math.round(m.stateBytes / m.participantsHeld).toLocaleString('en'));

/** Heap freed per participant evicted, bytes: what one participant's state costs, the handler's fixed cost (its code, its maps) left out. */
function freedPerEvicted(r: StageResult): number {
  const late = r.afterHours[`${MEASURED_AT_H.at(-1)}h`]!;
  return (late.stateBytes - r.afterEviction.stateBytes) / (late.participantsHeld - r.afterEviction.participantsHeld);
}

function printTable(results: readonly StageResult[]): void {
  const rows = results.map((r) => {
    const [early, late] = MEASURED_AT_H.map((h) => r.afterHours[`${h}h`]!);
    return [
      r.stage,
      String(late!.participantsHeld),
      mib(late!.stateBytes),
      perParticipant(late!),
      `${perParticipant(early!)} → ${perParticipant(late!)}`,
      `${r.afterEviction.participantsHeld} / ${mib(r.afterEviction.stateBytes)}`,
      Math.round(freedPerEvicted(r)).toLocaleString('en'),
      `${(r.retentionMs / HOUR_MS).toFixed(0)} h`,
      r.records.toLocaleString('en'),
      r.seconds.toFixed(0),
    ];
  });
  const header = ['stage', 'held at 6 h', 'state MiB', 'bytes/participant', `after ${MEASURED_AT_H[0]} h → ${MEASURED_AT_H[1]} h`, 'after eviction held / MiB', 'freed/evicted', 'retention', 'records fed', 's'];
  console.log(table(header, rows));
  for (const r of results) {
    for (const [at, m] of [...Object.entries(r.afterHours), ['eviction', r.afterEviction] as const]) if (m.note) console.log(`${r.stage} after ${at}: ${m.note}`);
    if (r.deadLetters > 0) console.log(`${r.stage}: ${r.deadLetters} records to the dead-letter topic`);
  }
}

/** One stage measured in a child process of its own, so that no stage's garbage weighs on another's heap. */
function runChild(stage: StageSetup): Promise<StageResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', stage.name], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${stage.name}: child exited with ${code}`));
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as StageResult;
      console.log(`${stage.name}: ${result.records.toLocaleString('en')} records in ${result.seconds.toFixed(1)} s`);
      resolve(result);
    });
  });
}

/** The stages' children, `parallel` at a time (one core each: the heap each measures is its own); results in the stages' order. */
async function runChildren(stages: readonly StageSetup[], parallel: number): Promise<StageResult[]> {
  const results: StageResult[] = new Array(stages.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < stages.length; i = next++) results[i] = await runChild(stages[i]!);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const stages = STAGES.filter((s) => !filter || s.name.includes(filter));
  console.log(`${PARTICIPANTS} participants (${TEMPLATES} simulated, each played by ${PARTICIPANTS / TEMPLATES} ids), polls of ${POLL_MS / 1000} s, ${MEASURED_AT_H.join(' and ')} h fed, then the first half alone for ${HALF_FEED_MS / HOUR_MS} h and the clock past the retention`);
  const host = machine();
  console.log(describeMachine(host));
  const results = await runChildren(stages, Math.min(2, cpus().length));
  console.log('');
  printTable(results);
  const sizes = { participants: PARTICIPANTS, templates: TEMPLATES, pollMs: POLL_MS, measuredAtHours: MEASURED_AT_H, halfFeedMs: HALF_FEED_MS, gpsRateHz: GPS_RATE_HZ };
  const file = writeResults('memory', { machine: host, sizes, results });
  console.log(`\nload average at the end: ${machine().loadAverage.join(', ')}`);
  console.log('state: heap used after GC minus before the handler; freed/evicted: heap freed by the eviction per participant evicted, bytes');
  console.log(`results: ${file}`);
}

async function child(name: string): Promise<void> {
  const setup = STAGES.find((s) => s.name === name);
  if (setup === undefined) throw new Error(`unknown stage ${name}`);
  console.log(JSON.stringify(await measureStage(setup)));
}

if (process.argv[2] === '--child') await child(process.argv[3]!);
else await main();
