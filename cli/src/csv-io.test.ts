import { describe, expect, it } from 'vitest';
import { InputError, readCsv } from './csv-io.js';

describe('readCsv', () => {
  it('says a missing file is not found instead of crashing on an unhandled stream error', async () => {
    const error = await readCsv('/nonexistent/polluscope-input.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('/nonexistent/polluscope-input.csv: file not found');
  });
});
