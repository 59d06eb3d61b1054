-- The label vocabulary of docs/design.md §6 as a table, so that researchers join it instead of
-- copying the groups into their queries. Idempotent: applied on every `polluscope infra up` and by
-- Compose's init script, after the roles (004), so researcher can read it from the start.
--
-- The rows are the TypeScript vocabulary (services/common/src/domain/labels.ts: CANONICAL_LABELS,
-- labelGroup, MOVE_MODES), written out here because both environments only run SQL files;
-- tests/unit/label-groups-sql.test.ts fails, printing the rows to paste, when they differ.

CREATE TABLE IF NOT EXISTS label_groups (
  label text PRIMARY KEY,
  label_group text NOT NULL CHECK (label_group IN ('indoor', 'outdoor', 'transport')),
  move_mode boolean NOT NULL
);

COMMENT ON TABLE label_groups IS 'The canonical micro-environment labels and their group (indoor, outdoor, transport); join final_label, predicted_label, declared_label or micro_environment to label. exposure_daily''s unknown is not a label: use a LEFT JOIN.';
COMMENT ON COLUMN label_groups.label IS 'Canonical label, Unicode NFC, as every table of the warehouse writes it.';
COMMENT ON COLUMN label_groups.label_group IS 'indoor, outdoor or transport.';
COMMENT ON COLUMN label_groups.move_mode IS 'True for the transport and outdoor modes GPS can give a move (Bus, Métro, Train, Voiture, Motorcycle, Vélo, Walk, Running).';

-- Replace the contents in one statement: labels the vocabulary dropped go, the others are upserted.
WITH vocabulary (label, label_group, move_mode) AS (
  VALUES
    ('Domicile', 'indoor', false),
    ('Bureau', 'indoor', false),
    ('Restaurant', 'indoor', false),
    ('Magasin', 'indoor', false),
    ('Gare', 'indoor', false),
    ('Indoor', 'indoor', false),
    ('Cinéma', 'indoor', false),
    ('Walk', 'outdoor', true),
    ('Running', 'outdoor', true),
    ('Vélo', 'outdoor', true),
    ('Parc', 'outdoor', false),
    ('Bus', 'transport', true),
    ('Métro', 'transport', true),
    ('Train', 'transport', true),
    ('Voiture', 'transport', true),
    ('Motorcycle', 'transport', true),
    ('Tramway', 'transport', false)
), dropped AS (
  DELETE FROM label_groups g WHERE NOT EXISTS (SELECT 1 FROM vocabulary v WHERE v.label = g.label)
)
INSERT INTO label_groups (label, label_group, move_mode)
SELECT label, label_group, move_mode FROM vocabulary
ON CONFLICT (label) DO UPDATE SET label_group = EXCLUDED.label_group, move_mode = EXCLUDED.move_mode;

GRANT SELECT ON label_groups TO researcher;
