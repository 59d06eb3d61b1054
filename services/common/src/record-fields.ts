/**
 * Reading the fields of a decoded record into typed values: one reader per field kind, each
 * naming the field when it is not what the topic's schema promises. Topic parsers are built from
 * them, so handlers receive typed records and never cast a field.
 */
import { eventTimeMs } from './participant-state.js';
import { invalid, parsed, type Parsed } from './keyed-stage.js';

type Fields = Readonly<Record<string, unknown>>;

class FieldProblem extends Error {}

const problem = (field: string, what: string): never => {
  throw new FieldProblem(`${field}: ${what}`);
};

export const fields = {
  /** A non-empty string. */
  id(value: Fields, field: string): string {
    const v = value[field];
    return typeof v === 'string' && v.trim() !== '' ? v : problem(field, 'empty or missing');
  },
  text(value: Fields, field: string): string {
    const v = value[field];
    return typeof v === 'string' ? v : problem(field, 'not a string');
  },
  optionalText(value: Fields, field: string): string | null {
    const v = value[field];
    return v === null || v === undefined ? null : typeof v === 'string' ? v : problem(field, 'not a string');
  },
  number(value: Fields, field: string): number {
    const v = value[field];
    return typeof v === 'number' && Number.isFinite(v) ? v : problem(field, 'not a finite number');
  },
  /** A finite number within [min, max]. */
  numberIn(value: Fields, field: string, min: number, max: number): number {
    const v = fields.number(value, field);
    return v >= min && v <= max ? v : problem(field, `outside [${min}, ${max}]`);
  },
  optionalNumber(value: Fields, field: string): number | null {
    const v = value[field];
    return v === null || v === undefined ? null : typeof v === 'number' && Number.isFinite(v) ? v : problem(field, 'not a finite number');
  },
  optionalBoolean(value: Fields, field: string): boolean | null {
    const v = value[field];
    return v === null || v === undefined ? null : typeof v === 'boolean' ? v : problem(field, 'not a boolean');
  },
  /** Epoch ms from timestamp-millis (number or Date) or an ISO-8601 string. */
  timeMs(value: Fields, field: string): number {
    return eventTimeMs(value[field]) ?? problem(field, 'missing or unparseable');
  },
};

/** Runs a parser built from {@link fields}: its value, or the first field problem as the reason. */
export function parseFields<T>(read: () => T): Parsed<T> {
  try {
    return parsed(read());
  } catch (err) {
    if (err instanceof FieldProblem) return invalid(err.message);
    throw err;
  }
}
