import type { QualityFlag } from './types.js';

/**
 * sensor_clean.quality_flags (`variable:flag` joined by `;`) as a list; empty for null or blank.
 *
 * @example parseQualityFlags('no2:warmup;pm25:spike') // [{ variable: 'no2', flag: 'warmup' }, { variable: 'pm25', flag: 'spike' }]
 */
export function parseQualityFlags(text: string | null | undefined): QualityFlag[] {
  if (text === null || text === undefined) return [];
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon < 0 ? { variable: part, flag: 'flagged' } : { variable: part.slice(0, colon), flag: part.slice(colon + 1) };
    });
}
