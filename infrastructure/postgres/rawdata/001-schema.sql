-- Raw database: what the volunteers' kits and tablets deliver (docs/design.md §3.1).
-- A missing sensor value is NULL, never 0.
CREATE TABLE IF NOT EXISTS sensor_measurements (
  id bigserial PRIMARY KEY,
  participant_virtual_id text NOT NULL,
  kit_id integer,
  time timestamptz NOT NULL,
  pm1 double precision,
  pm25 double precision,
  pm10 double precision,
  no2 double precision,
  bc double precision,
  temperature double precision,
  humidity double precision,
  activity text,
  event text,
  UNIQUE (participant_virtual_id, time)
);

CREATE TABLE IF NOT EXISTS gps_positions (
  id bigserial PRIMARY KEY,
  participant_virtual_id text NOT NULL,
  tablet_id integer,
  time timestamptz NOT NULL,
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  UNIQUE (participant_virtual_id, time)
);

-- The change-data-capture source reads these two tables through this publication.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'polluscope_raw') THEN
    CREATE PUBLICATION polluscope_raw FOR TABLE sensor_measurements, gps_positions;
  END IF;
END
$$;
