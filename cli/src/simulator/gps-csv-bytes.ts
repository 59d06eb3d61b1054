/**
 * GPS CSV lines written straight into bytes: at 1 Hz the GPS file is 95 % of a run, and building
 * one JavaScript string per line costs more than simulating the fix. Output is byte-identical
 * to `gpsCsvLine` (times as in `toISOString`, coordinates as `String()` of 7-decimal values;
 * below 1e-6 in absolute value `String()` switches to exponents, this writer stays decimal).
 */
import type { GpsFix } from './gps.js';

/** Longest line: id up to 40 bytes, tablet id, time (24), two signed coordinates. */
const MAX_LINE_BYTES = 128;

function writeAscii(buf: Uint8Array, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
  return pos;
}

function writeDigits(buf: Uint8Array, pos: number, value: number, width: number): number {
  for (let i = width - 1; i >= 0; i--) {
    buf[pos + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
  return pos + width;
}

/** Writes a coordinate already rounded to 7 decimals, as `String(value)` would. */
function writeCoordinate(buf: Uint8Array, pos: number, value: number): number {
  let n = Math.round(value * 1e7);
  if (n < 0) {
    buf[pos++] = 45; // '-'
    n = -n;
  }
  const whole = Math.floor(n / 1e7);
  let frac = n - whole * 1e7;
  pos = writeAscii(buf, pos, String(whole));
  if (frac === 0) return pos;
  let digits = 7;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  buf[pos++] = 46; // '.'
  return writeDigits(buf, pos, frac, digits);
}

/**
 * The CSV lines of `fixes` as UTF-8 bytes (ASCII only); participant ids must be ASCII.
 *
 * @example new TextDecoder().decode(gpsCsvBytes(fixes)) === fixes.map(gpsCsvLine).join('')
 */
export function gpsCsvBytes(fixes: readonly GpsFix[]): Uint8Array {
  const buf = new Uint8Array(fixes.length * MAX_LINE_BYTES);
  let pos = 0;
  let prefixFor: GpsFix | null = null;
  let prefix = '';
  let hourMs = Number.NaN;
  let hourPrefix = '';
  for (const f of fixes) {
    if (prefixFor === null || f.participantId !== prefixFor.participantId || f.tabletId !== prefixFor.tabletId) {
      prefixFor = f;
      prefix = `${f.participantId},${f.tabletId},`;
    }
    pos = writeAscii(buf, pos, prefix);
    const h = Math.floor(f.timeMs / 3_600_000) * 3_600_000;
    if (h !== hourMs) {
      hourMs = h;
      hourPrefix = new Date(h).toISOString().slice(0, 14);
    }
    pos = writeAscii(buf, pos, hourPrefix);
    let inHour = f.timeMs - h;
    const minute = Math.floor(inHour / 60_000);
    inHour -= minute * 60_000;
    const second = Math.floor(inHour / 1000);
    pos = writeDigits(buf, pos, minute, 2);
    buf[pos++] = 58; // ':'
    pos = writeDigits(buf, pos, second, 2);
    buf[pos++] = 46; // '.'
    pos = writeDigits(buf, pos, inHour - second * 1000, 3);
    buf[pos++] = 90; // 'Z'
    buf[pos++] = 44; // ','
    pos = writeCoordinate(buf, pos, f.lat);
    buf[pos++] = 44;
    pos = writeCoordinate(buf, pos, f.lon);
    buf[pos++] = 10; // '\n'
  }
  return buf.subarray(0, pos);
}
