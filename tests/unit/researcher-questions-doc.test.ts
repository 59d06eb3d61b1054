/**
 * The worked questions of docs/warehouse.md stay readable by the integration test that runs them
 * (tests/integration/researcher-queries.test.ts), checked here without a stack.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { researcherQuestions } from '../integration/researcher-questions.js';

const doc = readFileSync(new URL('../../docs/warehouse.md', import.meta.url), 'utf8');

describe('docs/warehouse.md, five researcher questions', () => {
  it('holds the five questions, each choosing its participant and day once, as bind parameters', () => {
    const questions = researcherQuestions(doc);
    expect(questions.map((q) => q.name)).toEqual(['exposure-shares', 'no2-hourly-profile', 'review-queue', 'stops-of-a-day', 'day-quality', 'day-gps-quality']);
    for (const { name, sql } of questions) {
      expect(sql, name).toContain('$1::text AS participant');
      expect(sql, name).toContain('$2::date AS day');
      expect(sql, name).not.toContain('sim-001');
    }
  });

  it('refuses a question whose chosen participant-day is missing or repeated', () => {
    const edited = "```sql\n-- question: broken\nSELECT 'sim-001'::text, 'sim-001'::text, DATE '2026-01-05';\n```\n";
    expect(() => researcherQuestions(edited)).toThrow(/question broken/);
  });
});
