/**
 * What `polluscope status` concludes from what it saw (docs/design.md §8): one level for the whole
 * pipeline (healthy, degraded, down) and the problems behind it. Pure: the gathering is in
 * pipeline-status.ts, so these rules are tested on hand-made snapshots.
 */

export type HealthLevel = 'healthy' | 'degraded' | 'down';

/** Exit codes of `polluscope status`: 0 healthy, 3 degraded, 4 down (2 stays a usage error). */
export const STATUS_EXIT_CODES: Readonly<Record<HealthLevel, number>> = Object.freeze({ healthy: 0, degraded: 3, down: 4 });

export interface ServiceState {
  readonly name: string;
  /** `down`: no process or no answer; `not ready`: answers 503 with its reason. */
  readonly state: 'ready' | 'not ready' | 'down';
  readonly reason: string | null;
  readonly lag: number | null;
}

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Next offset the group will read; null when it never committed on this partition. */
  readonly committed: number | null;
  readonly end: number;
  readonly lag: number;
}

export interface GroupLag {
  readonly group: string;
  readonly lag: number;
  readonly partitions: readonly PartitionLag[];
}

export interface ConnectorState {
  readonly name: string;
  readonly state: string;
  readonly tasks: readonly { readonly id: number; readonly state: string; readonly error: string | null }[];
}

export interface SlotState {
  readonly name: string;
  readonly active: boolean;
  /** WAL the slot keeps on rawdata's disk, bytes. */
  readonly retainedBytes: number;
}

export interface DeadLetterTopicState {
  readonly topic: string;
  readonly count: number;
  /** Time of the newest dead letter, ISO-8601; null when the topic is empty. */
  readonly newest: string | null;
}

/** A part that could not be reached: its name and the error. */
export interface Unreachable {
  readonly part: 'broker' | 'connect' | 'rawdata';
  readonly error: string;
}

export interface PipelineSnapshot {
  readonly checkedAt: string;
  readonly services: readonly ServiceState[];
  readonly groups: readonly GroupLag[];
  readonly connectors: readonly ConnectorState[];
  readonly slots: readonly SlotState[];
  readonly deadLetters: readonly DeadLetterTopicState[];
  readonly unreachable: readonly Unreachable[];
}

export interface HealthThresholds {
  /** Retained WAL above which a slot makes the pipeline degraded, bytes. */
  readonly slotRetainedBytes: number;
}

/** 1 GiB: well below `max_slot_wal_keep_size`, early enough to act before rawdata's disk fills. */
export const DEFAULT_THRESHOLDS: HealthThresholds = Object.freeze({ slotRetainedBytes: 1024 ** 3 });

export interface Problem {
  readonly level: Exclude<HealthLevel, 'healthy'>;
  readonly what: string;
}

export interface Assessment {
  readonly level: HealthLevel;
  readonly problems: readonly Problem[];
}

/**
 * Down when data cannot flow: the broker, Connect or rawdata unreachable, a service not running,
 * a connector missing or failed, the CDC slot inactive. Degraded when it flows with a fault: a
 * service not ready, a task failed, a slot holding more WAL than the threshold. Lag and dead
 * letters are reported, not judged: a history load has lag, and dead letters are the design.
 */
export function assessPipeline(snapshot: PipelineSnapshot, expectedConnectors: readonly string[], thresholds: HealthThresholds = DEFAULT_THRESHOLDS): Assessment {
  const problems: Problem[] = [];
  for (const { part, error } of snapshot.unreachable) problems.push({ level: 'down', what: `${part} unreachable: ${error}` });
  for (const service of snapshot.services) {
    if (service.state === 'down') problems.push({ level: 'down', what: `${service.name} is not running` });
    else if (service.state === 'not ready') problems.push({ level: 'degraded', what: `${service.name} not ready: ${service.reason ?? 'no reason given'}` });
  }
  const connectReached = !snapshot.unreachable.some((u) => u.part === 'connect');
  if (connectReached) {
    const present = new Set(snapshot.connectors.map((c) => c.name));
    for (const name of expectedConnectors) if (!present.has(name)) problems.push({ level: 'down', what: `connector ${name} is not registered` });
  }
  for (const connector of snapshot.connectors) {
    if (connector.state === 'FAILED') problems.push({ level: 'down', what: `connector ${connector.name} FAILED` });
    else if (connector.state !== 'RUNNING') problems.push({ level: 'degraded', what: `connector ${connector.name} ${connector.state}` });
    for (const task of connector.tasks) {
      if (task.state === 'RUNNING') continue;
      const detail = task.error === null ? '' : `: ${task.error}`;
      problems.push({ level: 'degraded', what: `connector ${connector.name} task ${task.id} ${task.state}${detail}` });
    }
  }
  for (const slot of snapshot.slots) {
    if (!slot.active) problems.push({ level: 'down', what: `replication slot ${slot.name} inactive (CDC stopped; rawdata keeps its WAL)` });
    if (slot.retainedBytes > thresholds.slotRetainedBytes) {
      problems.push({ level: 'degraded', what: `replication slot ${slot.name} retains ${formatBytes(slot.retainedBytes)} of WAL` });
    }
  }
  const level: HealthLevel = problems.some((p) => p.level === 'down') ? 'down' : problems.length > 0 ? 'degraded' : 'healthy';
  return { level, problems };
}

/**
 * Lag of a group on every partition of the topics it has committed on: end offset minus committed
 * offset. A partition it never committed on (KafkaJS lists only committed ones) counts from the
 * log start: the group reads from the earliest offset, and it has not read any of it yet.
 */
export function partitionLags(
  committed: readonly { readonly topic: string; readonly partition: number; readonly offset: number | null }[],
  ends: ReadonlyMap<string, readonly { readonly partition: number; readonly start: number; readonly end: number }[]>,
): PartitionLag[] {
  const offsets = new Map(committed.map((c) => [`${c.topic}:${c.partition}`, c.offset]));
  const lags: PartitionLag[] = [];
  for (const topic of [...new Set(committed.map((c) => c.topic))].sort()) {
    for (const bounds of ends.get(topic) ?? []) {
      const offset = offsets.get(`${topic}:${bounds.partition}`) ?? null;
      const from = offset === null ? bounds.start : Math.max(offset, bounds.start);
      lags.push({ topic, partition: bounds.partition, committed: offset, end: bounds.end, lag: Math.max(0, bounds.end - from) });
    }
  }
  return lags;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The screen of `polluscope status`: one line per part, the problems last. */
export function formatStatus(snapshot: PipelineSnapshot, assessment: Assessment): string {
  const lines: string[] = [`pipeline: ${assessment.level.toUpperCase()} (checked ${snapshot.checkedAt})`, ''];
  const table = (header: readonly string[], rows: readonly (readonly string[])[]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
    lines.push(line(header), ...rows.map(line), '');
  };
  table(
    ['SERVICE', 'STATE', 'LAG', 'REASON'],
    snapshot.services.map((s) => [s.name, s.state, s.lag === null ? '-' : String(s.lag), s.reason ?? '']),
  );
  table(
    ['CONSUMER GROUP', 'LAG', 'PARTITIONS BEHIND'],
    snapshot.groups.map((g) => [g.group, String(g.lag), g.partitions.filter((p) => p.lag > 0).map((p) => `${p.topic}/${p.partition}:${p.lag}`).join(' ')]),
  );
  table(
    ['CONNECTOR', 'STATE', 'TASKS'],
    snapshot.connectors.map((c) => [c.name, c.state, c.tasks.map((t) => `${t.id}:${t.state}`).join(' ')]),
  );
  table(
    ['REPLICATION SLOT', 'ACTIVE', 'WAL RETAINED'],
    snapshot.slots.map((s) => [s.name, s.active ? 'yes' : 'no', formatBytes(s.retainedBytes)]),
  );
  table(
    ['DEAD LETTERS', 'COUNT', 'NEWEST'],
    snapshot.deadLetters.map((d) => [d.topic, String(d.count), d.newest ?? '-']),
  );
  if (assessment.problems.length === 0) lines.push('no problems');
  else for (const p of assessment.problems) lines.push(`${p.level === 'down' ? 'DOWN' : 'DEGRADED'}: ${p.what}`);
  return lines.join('\n');
}
