/**
 * Where a service's CPU time went, from a V8 CPU profile taken while it ran in the stage
 * benchmark (`npm run bench:stages -- --cpu-profile DIR`): self time per part of the process
 * (Kafka client, Avro, the keyed-stage runtime, the stage's own code, garbage collection, …) and
 * the functions that took the most. Pure: a profile in, a summary out.
 */
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';

/** The parts of the process a sample's function belongs to, by its script's address. */
export type ProfilePart =
  | 'kafkajs'
  | 'avro (avsc)'
  | 'registry client'
  | 'runtime (services/common)'
  | 'stage code'
  | 'other packages'
  | 'node internals'
  | 'garbage collector'
  | 'idle'
  | 'program (outside JavaScript)';

export interface ProfileSummary {
  /** Time sampled, idle excluded, ms. */
  readonly busyMs: number;
  readonly idleMs: number;
  /** Self time per part, ms, largest first (idle left out). */
  readonly parts: readonly { readonly part: ProfilePart; readonly ms: number; readonly share: number }[];
  /** Functions by self time, largest first. */
  readonly functions: readonly { readonly name: string; readonly where: string; readonly part: ProfilePart; readonly ms: number; readonly share: number }[];
}

export function partOf(url: string, functionName: string): ProfilePart {
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)' || functionName === '(root)') return 'program (outside JavaScript)';
  if (url.includes('/node_modules/kafkajs/')) return 'kafkajs';
  if (url.includes('/node_modules/avsc/')) return 'avro (avsc)';
  if (url.includes('/node_modules/@kafkajs/confluent-schema-registry/')) return 'registry client';
  if (url.includes('/services/common/')) return 'runtime (services/common)';
  if (url.includes('/services/')) return 'stage code';
  if (url.includes('/node_modules/')) return 'other packages';
  return 'node internals';
}

/** The script's path from `services/` or `node_modules/` on, and the line: short enough for a table. */
function shortWhere(url: string, line: number): string {
  if (url === '') return '';
  const at = Math.max(url.lastIndexOf('/node_modules/'), url.indexOf('/services/'));
  const path = at >= 0 ? url.slice(at + 1).replace(/^node_modules\//, '') : url.replace(/^file:\/\//, '');
  return `${path}:${line + 1}`;
}

/** Self time of every sampled function, grouped by part; `top` functions listed. */
export function summariseProfile(profile: Profiler.Profile, top = 15): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the gap to the next sample (the last one gets none).
  for (let i = 0; i < samples.length; i += 1) {
    const us = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
  }
  const byPart = new Map<ProfilePart, number>();
  const byFunction = new Map<string, { name: string; where: string; part: ProfilePart; us: number }>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    const part = partOf(frame.url, frame.functionName);
    if (part === 'idle') {
      idleUs += us;
      continue;
    }
    byPart.set(part, (byPart.get(part) ?? 0) + us);
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const where = shortWhere(frame.url, frame.lineNumber);
    const key = `${name} ${where}`;
    const entry = byFunction.get(key) ?? { name, where, part, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const busyUs = [...byPart.values()].reduce((a, b) => a + b, 0);
  const share = (us: number) => (busyUs === 0 ? 0 : us / busyUs);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    parts: [...byPart].sort((a, b) => b[1] - a[1]).map(([part, us]) => ({ part, ms: us / 1000, share: share(us) })),
    functions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, part: f.part, ms: f.us / 1000, share: share(f.us) })),
  };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const lines = [`busy ${(summary.busyMs / 1000).toFixed(2)} s (idle ${(summary.idleMs / 1000).toFixed(2)} s left out); self time by part:`];
  for (const p of summary.parts) lines.push(`  ${(p.share * 100).toFixed(1).padStart(5)} %  ${(p.ms / 1000).toFixed(2).padStart(6)} s  ${p.part}`);
  lines.push('functions with the most self time:');
  for (const f of summary.functions) lines.push(`  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
  return lines.join('\n');
}

/** Samples this process's JavaScript until `stop` is called; `stop` gives the profile. */
export async function startCpuProfile(): Promise<() => Promise<Profiler.Profile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return profile;
  };
}
