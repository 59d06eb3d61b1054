-- Review decisions as a history (docs/design.md §5.6): every decision is a row, keyed by
-- (participant_virtual_id, segment_start, decided_at), and the sink (warehouse-sink-segments,
-- primary.key.fields with decided_at) appends instead of overwriting; a redelivered record has
-- the same decided_at and upserts onto itself. The current decision of a segment is the latest:
-- view review_decisions_latest (003-views.sql).
--
-- Idempotent, applied on every `polluscope infra up`: a warehouse created before the history has
-- the primary key (participant_virtual_id, segment_start); it is replaced, once, keeping every row
-- (the old key was unique, so the new one is too). A fresh warehouse has the new key from 001.

DO $$
DECLARE
  key_name text;
  key_columns text[];
BEGIN
  SELECT c.conname, array_agg(a.attname::text ORDER BY k.ord)
    INTO key_name, key_columns
    FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
   WHERE c.conrelid = 'review_decisions'::regclass AND c.contype = 'p'
   GROUP BY c.conname;
  IF key_columns IS DISTINCT FROM ARRAY['participant_virtual_id', 'segment_start', 'decided_at'] THEN
    IF key_name IS NOT NULL THEN
      EXECUTE format('ALTER TABLE review_decisions DROP CONSTRAINT %I', key_name);
    END IF;
    ALTER TABLE review_decisions ADD PRIMARY KEY (participant_virtual_id, segment_start, decided_at);
  END IF;
END
$$;

COMMENT ON TABLE review_decisions IS 'Every human decision on a segment flagged for review (docs/design.md §5.6), kept as a history: one row per decision, key (participant_virtual_id, segment_start, decided_at). The current decision of a segment is its latest: view review_decisions_latest.';

-- Researchers read the history and the current decisions (004-roles.sql grants future views too;
-- said again here for a warehouse whose default privileges were altered by hand).
GRANT SELECT ON review_decisions, review_decisions_latest TO researcher;
