-- GPS ingest: devices that speak OsmAnd, the position history, and arrival/ETA on run stops.

-- A tracker (Traccar Client, a phone app) identifies itself with its device key; it posts for its driver.
CREATE TABLE devices (
  device_key TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants (id),
  driver_id  TEXT NOT NULL REFERENCES drivers (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX devices_driver ON devices (driver_id);

-- Append-heavy time data: one partition per day, so retention drops whole tables instead of deleting rows.
-- The key makes a fix posted twice (a retry, two nodes) one row.
CREATE TABLE positions (
  driver_id   TEXT NOT NULL,
  tenant_id   TEXT NOT NULL,
  fixed_at    TIMESTAMPTZ NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  lat         DOUBLE PRECISION NOT NULL,
  lon         DOUBLE PRECISION NOT NULL,
  heading     REAL,
  speed_kmh   REAL,
  accuracy_m  REAL,
  altitude_m  REAL,
  battery     REAL,
  PRIMARY KEY (driver_id, fixed_at)
) PARTITION BY RANGE (fixed_at);

-- Fixes outside the prepared days (a device whose clock is far behind) land here.
CREATE TABLE positions_default PARTITION OF positions DEFAULT;

-- Creates the daily partitions from yesterday to p_days_ahead days ahead and drops those wholly older than
-- p_keep. Serialised by an advisory lock, so every node may call it.
CREATE FUNCTION sb_position_partitions(p_days_ahead INT, p_keep INTERVAL) RETURNS INT AS $$
DECLARE
  d DATE;
  part RECORD;
  dropped INT := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('sb_position_partitions'));
  FOR i IN -1..p_days_ahead LOOP
    d := (now() AT TIME ZONE 'UTC')::date + i;
    IF to_regclass('positions_p' || to_char(d, 'YYYYMMDD')) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF positions FOR VALUES FROM (%L) TO (%L)',
                       'positions_p' || to_char(d, 'YYYYMMDD'), d::timestamp AT TIME ZONE 'UTC',
                       (d + 1)::timestamp AT TIME ZONE 'UTC');
      EXCEPTION WHEN check_violation THEN
        -- The default partition already holds rows of that day: they stay there, served all the same.
        RAISE NOTICE 'positions: day % stays in the default partition', d;
      END;
    END IF;
  END LOOP;
  FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'positions'::regclass AND c.relname ~ '^positions_p[0-9]{8}$' LOOP
    IF to_date(substr(part.relname, 12), 'YYYYMMDD') + 1 < ((now() - p_keep) AT TIME ZONE 'UTC')::date THEN
      EXECUTE format('DROP TABLE %I', part.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  DELETE FROM positions_default WHERE fixed_at < now() - p_keep;
  RETURN dropped;
END
$$ LANGUAGE plpgsql;

SELECT sb_position_partitions(2, INTERVAL '7 days');

-- Arrival at a stop (the driver came within the radius) and the current ETA of a pending stop.
ALTER TABLE run_stops ADD COLUMN arrived_at TIMESTAMPTZ, ADD COLUMN eta TIMESTAMPTZ;
-- When the run's ETAs were last published: keeps ETA events to one per interval across the cluster.
ALTER TABLE runs ADD COLUMN eta_updated_at TIMESTAMPTZ;

CREATE OR REPLACE FUNCTION run_json(p_run_id TEXT) RETURNS JSON AS $$
BEGIN
  RETURN (SELECT json_build_object(
    'id', r.id, 'tenantId', r.tenant_id, 'name', r.name, 'status', r.status, 'driverId', r.driver_id,
    'completedStops', (SELECT count(*) FROM run_stops x WHERE x.run_id = r.id AND x.status = 'completed'),
    'totalStops', (SELECT count(*) FROM run_stops x WHERE x.run_id = r.id),
    'stops', COALESCE((SELECT json_agg(json_build_object('id', x.id, 'position', x.position, 'orderId', x.order_id,
                                                         'address', x.address, 'lat', x.lat, 'lon', x.lon,
                                                         'status', x.status, 'completedAt', sb_iso(x.completed_at),
                                                         'arrivedAt', sb_iso(x.arrived_at), 'eta', sb_iso(x.eta))
                                       ORDER BY x.position)
                       FROM run_stops x WHERE x.run_id = r.id), '[]'::json),
    'startedAt', sb_iso(r.started_at), 'completedAt', sb_iso(r.completed_at), 'version', r.version,
    'updatedBy', r.updated_by, 'createdAt', sb_iso(r.created_at), 'updatedAt', sb_iso(r.updated_at))
  FROM runs r WHERE r.id = $1);
END
$$ LANGUAGE plpgsql STABLE;
