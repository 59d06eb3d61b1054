/**
 * `infra logs` and `services logs`: the end of each log file, then (with --follow) what is
 * appended, each line prefixed by its component when several are shown.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The last `count` lines of `text` (a trailing newline does not count as a line). */
export function lastLines(text: string, count: number): string[] {
  if (count === 0) return [];
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.length === 1 && lines[0] === '' ? [] : lines.slice(-count);
}

export function printLogEnds(files: Readonly<Record<string, string>>, count: number, say: (line: string) => void): void {
  for (const [name, file] of Object.entries(files)) {
    say(`==> ${name} (${file}) <==`);
    if (!existsSync(file)) {
      say('(no log yet)');
      continue;
    }
    for (const line of lastLines(readFileSync(file, 'utf8'), count)) say(line);
  }
}

/** Prints what is appended to the files until the process is interrupted; a file started anew is read from its start. */
export async function followLogs(files: Readonly<Record<string, string>>, say: (line: string) => void, pollMs = 500, signal?: AbortSignal): Promise<void> {
  const several = Object.keys(files).length > 1;
  const positions = new Map(Object.entries(files).map(([name, file]) => [name, existsSync(file) ? statSync(file).size : 0]));
  const partial = new Map<string, string>();
  while (!signal?.aborted) {
    for (const [name, file] of Object.entries(files)) {
      if (!existsSync(file)) continue;
      const size = statSync(file).size;
      let from = positions.get(name) ?? 0;
      if (size < from) from = 0; // rotated or truncated
      if (size === from) continue;
      const buffer = Buffer.alloc(size - from);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, from);
      } finally {
        closeSync(fd);
      }
      positions.set(name, size);
      const text = (partial.get(name) ?? '') + buffer.toString('utf8');
      const lines = text.split('\n');
      partial.set(name, lines.pop() ?? '');
      for (const line of lines) say(several ? `${name} | ${line}` : line);
    }
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
}
