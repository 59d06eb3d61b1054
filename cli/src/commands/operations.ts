/**
 * Operators' commands (docs/design.md §8): `status`, the whole pipeline in one screen, and
 * `dlq list|show|replay`, the dead letters read, decoded and sent back once their cause is removed.
 */
import type { Command } from 'commander';
import { AvroCodec, DEFAULT_SCHEMAS_DIR, deadLetterTopic, eventTimeMs, SERVICE_NAMES, type ServiceName } from '@polluscope/common';
import { readConnectorFiles } from '../infra/connectors.js';
import { loadStackConfig, stackEndpoints } from '../infra/stack-config.js';
import {
  countByReason,
  lateRecomputations,
  letterId,
  matches,
  parseLetterId,
  planReplay,
  toDeadLetter,
  type DeadLetter,
  type DeadLetterFilter,
  type LateRecomputation,
  type ReplayStep,
} from '../operations/dead-letters.js';
import { kafkaClient, readRecords } from '../operations/kafka-records.js';
import { assessPipeline, formatStatus, STATUS_EXIT_CODES } from '../operations/pipeline-health.js';
import { gatherPipelineStatus } from '../operations/pipeline-status.js';
import { publishedCounts, reprocessedLine, reprocessParticipant, sessionNote, withReprocessTargets } from '../operations/reprocess-run.js';
import { UsageError } from '../usage-error.js';

const say = (line: string) => console.log(line);

interface LetterOptions {
  readonly topic?: string;
  readonly participant?: string;
  readonly reason?: string;
  readonly since?: string;
}

/** The dead-letter topics a `--topic` names (a topic or a service), all of them without it. */
function deadLetterTopics(topic: string | undefined): string[] {
  const all = SERVICE_NAMES.map((s) => deadLetterTopic(s).name);
  if (topic === undefined) return all;
  const name = topic.startsWith('dlq.') ? topic : SERVICE_NAMES.includes(topic as ServiceName) ? deadLetterTopic(topic as ServiceName).name : topic;
  if (!all.includes(name)) throw new UsageError(`--topic ${topic}: not a dead-letter topic or service; one of ${all.join(', ')}`);
  return [name];
}

function letterFilter(options: LetterOptions): DeadLetterFilter {
  let sinceMs: number | undefined;
  if (options.since !== undefined) {
    sinceMs = Date.parse(options.since);
    if (!Number.isFinite(sinceMs)) throw new UsageError(`--since ${options.since}: not an ISO-8601 time (e.g. 2026-12-06T10:00:00Z)`);
  }
  return { participant: options.participant, reason: options.reason, sinceMs };
}

async function readLetters(topics: readonly string[]): Promise<DeadLetter[]> {
  const records = await readRecords(kafkaClient(stackEndpoints(loadStackConfig()).kafkaBrokers), topics);
  return records.map((r) => toDeadLetter(r.topic, r.partition, r.message));
}

/** Letters named by id, or else those the filters select. */
async function selectLetters(ids: readonly string[], options: LetterOptions): Promise<DeadLetter[]> {
  if (ids.length > 0) {
    let wanted: ReturnType<typeof parseLetterId>[];
    try {
      wanted = ids.map(parseLetterId);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const letters = await readLetters([...new Set(wanted.map((w) => w.topic))]);
    const byId = new Map(letters.map((l) => [letterId(l), l]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new UsageError(`no such dead letter: ${missing.join(', ')} (expired, or never written)`);
    return ids.map((id) => byId.get(id)!);
  }
  const filter = letterFilter(options);
  return (await readLetters(deadLetterTopics(options.topic))).filter((l) => matches(l, filter));
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The recomputations a replay's late raw letters call for, their times read from the records. */
async function lateRecomputationsOf(plan: readonly ReplayStep[], registryUrl: string): Promise<LateRecomputation[]> {
  if (!plan.some((s) => s.recompute)) return [];
  const codec = new AvroCodec(registryUrl, DEFAULT_SCHEMAS_DIR);
  const times = new Map<DeadLetter, number | null>();
  for (const { letter, recompute } of plan) {
    if (!recompute || letter.value === null) continue;
    const record = await codec.decode(letter.value).catch(() => null);
    times.set(letter, typeof record === 'object' && record !== null ? eventTimeMs((record as Record<string, unknown>).time) : null);
  }
  return lateRecomputations(plan, (letter) => times.get(letter) ?? null);
}

function describeValue(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

export function registerOperationsCommands(program: Command): void {
  program
    .command('status')
    .description('the whole pipeline in one screen: services, consumer lag (sinks included), connectors, replication slot, dead letters; exit 0 healthy, 3 degraded, 4 down')
    .option('--json', 'print the snapshot and the assessment as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadStackConfig();
      const snapshot = await gatherPipelineStatus(config);
      const assessment = assessPipeline(
        snapshot,
        readConnectorFiles(config.repoRoot).map((c) => c.name),
      );
      say(options.json ? JSON.stringify({ ...snapshot, ...assessment }, null, 2) : formatStatus(snapshot, assessment));
      process.exitCode = STATUS_EXIT_CODES[assessment.level];
    });

  program
    .command('reprocess')
    .description('recompute a participant end to end from rawdata with today\'s code and models: its warehouse rows of the span deleted, its rows re-published in time order, each stage starting the participant afresh')
    .requiredOption('--participant <id>', 'the participant to recompute')
    .option('--from <time>', 'rows from this ISO-8601 time on (default: the first), moved back to the start of its session (the last 25 h without rows)')
    .option('--to <time>', 'rows before this ISO-8601 time (default: the last)')
    .option('--dry-run', 'count the rows that would be re-published; delete and send nothing')
    .action(async (options: { participant: string; from?: string; to?: string; dryRun?: boolean }) => {
      const time = (name: string, text: string | undefined) => {
        if (text === undefined) return undefined;
        const ms = Date.parse(text);
        if (!Number.isFinite(ms)) throw new UsageError(`--${name} ${text}: not an ISO-8601 time (e.g. 2026-12-06T00:00:00Z)`);
        return ms;
      };
      const span = { participant: options.participant, fromMs: time('from', options.from), toMs: time('to', options.to) };
      if (span.fromMs !== undefined && span.toMs !== undefined && span.toMs <= span.fromMs) throw new UsageError('--to must be after --from');
      const result = await withReprocessTargets(loadStackConfig(), (targets) => reprocessParticipant(targets, span, { dryRun: options.dryRun }));
      if (Object.values(result.published).every((n) => n === 0)) throw new UsageError(`participant ${options.participant} has no rows in rawdata${options.from || options.to ? ' in that span' : ''}`);
      say(options.dryRun ? `dry run: would re-publish ${publishedCounts(result)}${sessionNote(result)}` : reprocessedLine(result));
    });

  const dlq = program.command('dlq').description('dead letters: list, show decoded, replay to where they came from');
  const withFilters = (command: Command) =>
    command
      .option('--topic <topic>', 'a dead-letter topic or a service name (all of them by default)')
      .option('--participant <id>', 'only this participant\'s letters')
      .option('--reason <kind>', 'only this kind: future, invalid, decode, unknown-schema, schema-mismatch, late, handler-error, …')
      .option('--since <time>', 'only letters written from this ISO-8601 time on');

  withFilters(dlq.command('list'))
    .description('dead letters with their reason, newest last, then counts per topic and reason')
    .option('--limit <n>', 'at most this many letters (the newest)', '50')
    .option('--json', 'print the letters as JSON lines')
    .action(async (options: LetterOptions & { limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${options.limit}: a whole number ≥ 1`);
      const letters = (await selectLetters([], options)).sort((a, b) => a.timestampMs - b.timestampMs);
      const shown = letters.slice(-limit);
      if (options.json) {
        for (const l of shown) say(JSON.stringify({ id: letterId(l), ...l, time: new Date(l.timestampMs).toISOString(), value: undefined }));
        return;
      }
      for (const l of shown) {
        say(`${letterId(l)}  ${new Date(l.timestampMs).toISOString()}  ${l.participant ?? '-'}  ${l.reason ?? 'unknown'}  ${clip(l.error, 120)}`);
      }
      if (letters.length > shown.length) say(`(${letters.length - shown.length} older letters not shown; --limit to see more)`);
      say(letters.length === 0 ? 'no dead letters match' : '');
      for (const c of countByReason(letters)) say(`${c.topic}  ${c.reason}: ${c.count} (newest ${new Date(c.newestMs).toISOString()})`);
    });

  dlq
    .command('show')
    .argument('<id...>', 'dead letters as `dlq list` names them, e.g. dlq.gps-preprocessing/3/17')
    .description('a dead letter\'s headers and its record decoded with the schema it was written with')
    .action(async (ids: string[]) => {
      const letters = await selectLetters(ids, {});
      // Decoding reads schemas, which needs no login.
      const codec = new AvroCodec(stackEndpoints(loadStackConfig()).registryUrl, DEFAULT_SCHEMAS_DIR);
      for (const letter of letters) {
        let record: unknown;
        try {
          record = describeValue(await codec.decode(letter.value));
        } catch (err) {
          record = { undecodable: (err as Error).message, bytes: letter.value?.toString('base64') ?? null };
        }
        const { value: _bytes, ...headers } = letter;
        say(JSON.stringify({ id: letterId(letter), ...headers, time: new Date(letter.timestampMs).toISOString(), record }, null, 2));
      }
    });

  withFilters(dlq.command('replay'))
    .argument('[id...]', 'dead letters to replay; or select them with the filters')
    .option('--yes', 'replay: without it, only print what would be replayed (dry run)')
    .description(
      'send dead letters back to the topic and partition they came from, so a fixed cause lets them through; a raw row dead-lettered as late recomputes its participant from rawdata instead; a dry run unless --yes',
    )
    .action(async (ids: string[], options: LetterOptions & { yes?: boolean }) => {
      if (ids.length === 0 && options.participant === undefined && options.reason === undefined && options.topic === undefined && options.since === undefined) {
        throw new UsageError('name the letters to replay (ids) or select them with --topic, --participant, --reason or --since');
      }
      const plan = planReplay(await selectLetters(ids, options));
      const sendable = plan.filter((s) => s.target !== null);
      for (const step of plan) {
        if (step.recompute) continue;
        say(step.target === null ? `skip ${letterId(step.letter)}: ${step.skip}` : `${options.yes ? 'replay' : 'would replay'} ${letterId(step.letter)} → ${step.target.topic}/${step.target.partition} (${step.letter.reason ?? 'unknown'}: ${clip(step.letter.error, 80)})`);
      }
      const stack = loadStackConfig();
      const recomputations = await lateRecomputationsOf(plan, stackEndpoints(stack).registryUrl);
      for (const r of recomputations) {
        say(`${options.yes ? 'recompute' : 'would recompute'} ${r.participant} from ${new Date(r.fromMs).toISOString()} for ${r.letters} late letter(s): sent back, they would be late again`);
      }
      if (!options.yes) {
        say(`dry run: ${sendable.length} letters would be replayed, ${recomputations.length} participants recomputed; run again with --yes to do it`);
        return;
      }
      if (sendable.length > 0) {
        const producer = kafkaClient(stackEndpoints(stack).kafkaBrokers).producer({ allowAutoTopicCreation: false });
        await producer.connect();
        try {
          const byTopic = new Map<string, { key: Buffer | null; value: Buffer | null; partition: number; headers: Record<string, string> }[]>();
          for (const { letter, target } of sendable) {
            const list = byTopic.get(target!.topic) ?? [];
            list.push({ key: letter.participant === null ? null : Buffer.from(letter.participant), value: letter.value, partition: target!.partition, headers: { 'replayed.from': letterId(letter) } });
            byTopic.set(target!.topic, list);
          }
          await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        } finally {
          await producer.disconnect();
        }
        say(`replayed ${sendable.length} letters; if a cause remains they come back to the dead-letter topic with it`);
      }
      if (recomputations.length === 0) return;
      await withReprocessTargets(stack, async (targets) => {
        for (const r of recomputations) say(reprocessedLine(await reprocessParticipant(targets, { participant: r.participant, fromMs: r.fromMs })));
      });
    });
}
