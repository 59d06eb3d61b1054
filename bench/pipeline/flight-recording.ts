/**
 * Where a JVM of the stack (Kafka Connect above all) spends its CPU during the end-to-end run:
 * a Java Flight Recording started and stopped with `jcmd`, its execution samples read back with
 * `jfr print` and counted per thread group, per layer of the stack (JDBC driver, Hibernate,
 * Debezium's sink, the Apicurio converter, the Kafka client) and per top frame.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The layers of a Connect task's stack, matched anywhere in a sample's frames (inclusive). */
export const CONNECT_LAYERS: readonly { readonly layer: string; readonly prefix: string }[] = [
  { layer: 'PostgreSQL JDBC driver (org.postgresql)', prefix: 'org.postgresql.' },
  { layer: 'Hibernate (org.hibernate)', prefix: 'org.hibernate.' },
  { layer: "Debezium's JDBC sink (io.debezium.connector.jdbc)", prefix: 'io.debezium.connector.jdbc.' },
  { layer: "Debezium's PostgreSQL source (io.debezium.connector.postgresql)", prefix: 'io.debezium.connector.postgresql.' },
  { layer: 'Apicurio converter (io.apicurio)', prefix: 'io.apicurio.' },
  { layer: 'Avro (org.apache.avro)', prefix: 'org.apache.avro.' },
  { layer: 'Kafka consumer (org.apache.kafka.clients.consumer)', prefix: 'org.apache.kafka.clients.consumer.' },
  { layer: 'Kafka producer (org.apache.kafka.clients.producer)', prefix: 'org.apache.kafka.clients.producer.' },
];

export interface ExecutionSample {
  readonly thread: string;
  /** Frames, top (executing) first, as `package.Class.method`. */
  readonly frames: readonly string[];
}

export interface RecordingSummary {
  readonly samples: number;
  /** Samples per thread group (the thread's name without its trailing number), largest first. */
  readonly threads: readonly { readonly group: string; readonly samples: number; readonly share: number }[];
  /** Samples whose stack holds each layer (a sample may count in several), largest first. */
  readonly layers: readonly { readonly layer: string; readonly samples: number; readonly share: number }[];
  /** Top frames by samples, largest first. */
  readonly topFrames: readonly { readonly frame: string; readonly samples: number; readonly share: number }[];
}

/** `task-thread-warehouse-sink-points-0` → `task-thread-warehouse-sink-points`. */
export function threadGroup(name: string): string {
  return name.replace(/[-_ #]?\d+$/, '');
}

/** The execution samples of `jfr print --events jdk.ExecutionSample` text, line by line. */
export class ExecutionSampleParser {
  private thread: string | null = null;
  private frames: string[] | null = null;
  readonly samples: ExecutionSample[] = [];

  line(text: string): void {
    const line = text.trim();
    if (line.startsWith('jdk.ExecutionSample')) {
      this.thread = null;
      this.frames = null;
    } else if (line.startsWith('sampledThread = ')) {
      this.thread = /"([^"]*)"/.exec(line)?.[1] ?? '?';
    } else if (line.startsWith('stackTrace = [')) {
      this.frames = [];
    } else if (this.frames !== null && line === ']') {
      this.samples.push({ thread: this.thread ?? '?', frames: this.frames });
      this.frames = null;
    } else if (this.frames !== null && line !== '...') {
      // `org.postgresql.core.PGStream.flush() line: 711` → `org.postgresql.core.PGStream.flush`
      this.frames.push(line.replace(/\(.*$/, ''));
    }
  }
}

export function summariseSamples(samples: readonly ExecutionSample[], top = 12): RecordingSummary {
  const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  const threads = new Map<string, number>();
  const layers = new Map<string, number>();
  const frames = new Map<string, number>();
  for (const sample of samples) {
    count(threads, threadGroup(sample.thread));
    for (const { layer, prefix } of CONNECT_LAYERS) if (sample.frames.some((f) => f.startsWith(prefix))) count(layers, layer);
    if (sample.frames[0] !== undefined) count(frames, sample.frames[0]);
  }
  const ranked = <K extends string>(map: Map<string, number>, key: K, limit = Number.POSITIVE_INFINITY) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, n]) => ({ [key]: name, samples: n, share: samples.length === 0 ? 0 : n / samples.length }) as { [P in K]: string } & { samples: number; share: number });
  return { samples: samples.length, threads: ranked(threads, 'group'), layers: ranked(layers, 'layer'), topFrames: ranked(frames, 'frame', top) };
}

export function formatRecordingSummary(summary: RecordingSummary, threadsShown = 10): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  const lines = [`${summary.samples} execution samples; by thread group:`];
  for (const t of summary.threads.slice(0, threadsShown)) lines.push(`  ${pct(t.share)}  ${t.group}`);
  lines.push('by layer (a sample counts in every layer on its stack):');
  for (const l of summary.layers) lines.push(`  ${pct(l.share)}  ${l.layer}`);
  lines.push('top frames:');
  for (const f of summary.topFrames) lines.push(`  ${pct(f.share)}  ${f.frame}`);
  return lines.join('\n');
}

/** Starts a flight recording named `name` in the JVM `pid` (its `profile` settings: a sample every 10–20 ms). */
export function startFlightRecording(pid: number, name: string): void {
  const result = spawnSync('jcmd', [String(pid), 'JFR.start', `name=${name}`, 'settings=profile'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`jcmd ${pid} JFR.start: ${result.stderr || result.stdout}`);
}

/** Stops the recording and writes it to `file`. */
export function stopFlightRecording(pid: number, name: string, file: string): void {
  const result = spawnSync('jcmd', [String(pid), 'JFR.stop', `name=${name}`, `filename=${file}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`jcmd ${pid} JFR.stop: ${result.stderr || result.stdout}`);
}

/** Reads a recording's execution samples with `jfr print` (streamed: a recording's text runs to hundreds of MB). */
export async function readExecutionSamples(file: string, stackDepth = 48): Promise<ExecutionSample[]> {
  const child = spawn('jfr', ['print', '--events', 'jdk.ExecutionSample', '--stack-depth', String(stackDepth), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const parser = new ExecutionSampleParser();
  for await (const line of createInterface({ input: child.stdout })) parser.line(line);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`jfr print ${file} exited with ${code}`);
  return parser.samples;
}
