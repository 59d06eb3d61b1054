/**
 * The worked researcher queries of docs/warehouse.md, read from the document itself: each is a
 * fenced ```sql block whose first line is `-- question: <name>` and whose second line chooses the
 * participant-day, `WITH chosen AS (SELECT 'sim-001'::text AS participant, DATE '2026-01-05' AS day)`.
 */

export interface ResearcherQuestion {
  readonly name: string;
  /** The query with the chosen participant as $1 and the chosen day as $2, nothing else changed. */
  readonly sql: string;
}

const QUESTION_BLOCK = /```sql\n-- question: ([\w-]+)\n([\s\S]*?)```/g;
const CHOSEN_PARTICIPANT = "'sim-001'::text";
const CHOSEN_DAY = "DATE '2026-01-05'";

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/**
 * The questions of a markdown text, in order, each with its two chosen values turned into bind
 * parameters. Throws when a block does not choose its participant and day exactly once each, so a
 * query edited in the document cannot silently run on the example values.
 */
export function researcherQuestions(markdown: string): ResearcherQuestion[] {
  return [...markdown.matchAll(QUESTION_BLOCK)].map((match) => {
    const name = match[1] ?? '';
    const body = `-- question: ${name}\n${match[2] ?? ''}`;
    if (occurrences(body, CHOSEN_PARTICIPANT) !== 1 || occurrences(body, CHOSEN_DAY) !== 1) {
      throw new Error(`docs/warehouse.md, question ${name}: choose ${CHOSEN_PARTICIPANT} and ${CHOSEN_DAY} once each, in its chosen CTE`);
    }
    return { name, sql: body.replace(CHOSEN_PARTICIPANT, '$1::text').replace(CHOSEN_DAY, '$2::date') };
  });
}
