-- The commerce domain: the business changes whose events Switchboard serves in every seed's dialect.
-- Ids are text chosen by the caller (an app's existing ids) or generated UUIDs; they travel in channel names,
-- so the API restricts them to [A-Za-z0-9_.@-].

CREATE TABLE tenants (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE customers (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants (id),
  email      TEXT,
  name       TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE shops (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants (id),
  name       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- available = stock_quantity - reserved; the CHECKs are the last line against overselling.
CREATE TABLE variants (
  id                  TEXT PRIMARY KEY,
  shop_id             TEXT NOT NULL REFERENCES shops (id),
  product_id          TEXT NOT NULL,
  product_name        TEXT NOT NULL,
  name                TEXT NOT NULL DEFAULT '',
  price               NUMERIC(12, 2) NOT NULL CHECK (price >= 0),
  cost                NUMERIC(12, 2) NOT NULL DEFAULT 0 CHECK (cost >= 0),
  stock_quantity      INT NOT NULL CHECK (stock_quantity >= 0),
  reserved            INT NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock_quantity),
  low_stock_threshold INT NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id               TEXT PRIMARY KEY,
  number           TEXT NOT NULL UNIQUE,
  tenant_id        TEXT NOT NULL REFERENCES tenants (id),
  shop_id          TEXT NOT NULL REFERENCES shops (id),
  customer_id      TEXT NOT NULL REFERENCES customers (id),
  status           TEXT NOT NULL,
  payment_status   TEXT NOT NULL DEFAULT 'unpaid',
  total            NUMERIC(12, 2) NOT NULL,
  cost             NUMERIC(12, 2) NOT NULL,
  notes            TEXT,
  assigned_to      TEXT,
  delivery_address TEXT,
  delivered_at     TIMESTAMPTZ,
  version          INT NOT NULL DEFAULT 1,
  updated_by       TEXT NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at       TIMESTAMPTZ
);
CREATE INDEX orders_tenant_status ON orders (tenant_id, status) WHERE deleted_at IS NULL;
CREATE INDEX orders_shop ON orders (shop_id) WHERE deleted_at IS NULL;
CREATE INDEX orders_customer ON orders (customer_id) WHERE deleted_at IS NULL;

CREATE SEQUENCE order_number_seq;

CREATE TABLE order_items (
  order_id     TEXT NOT NULL REFERENCES orders (id),
  line         INT  NOT NULL,
  variant_id   TEXT NOT NULL REFERENCES variants (id),
  product_id   TEXT NOT NULL,
  product_name TEXT NOT NULL,
  quantity     INT  NOT NULL CHECK (quantity > 0),
  price        NUMERIC(12, 2) NOT NULL,
  cost         NUMERIC(12, 2) NOT NULL,
  PRIMARY KEY (order_id, line)
);

CREATE TABLE stock_reservations (
  id         TEXT PRIMARY KEY,
  variant_id TEXT NOT NULL REFERENCES variants (id),
  order_id   TEXT REFERENCES orders (id),
  quantity   INT  NOT NULL CHECK (quantity > 0),
  state      TEXT NOT NULL DEFAULT 'held',   -- held, committed, released
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX stock_reservations_order ON stock_reservations (order_id);

CREATE TABLE payments (
  id         TEXT PRIMARY KEY,
  order_id   TEXT NOT NULL REFERENCES orders (id),
  status     TEXT NOT NULL,                   -- paid, failed
  amount     NUMERIC(12, 2) NOT NULL,
  reason     TEXT,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE shipments (
  order_id        TEXT PRIMARY KEY REFERENCES orders (id),
  tracking_number TEXT NOT NULL,
  courier_name    TEXT NOT NULL,
  tracking_url    TEXT,
  shipped_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE drivers (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants (id),
  name       TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE runs (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants (id),
  name         TEXT,
  status       TEXT NOT NULL,                 -- planned, assigned, in_progress, completed
  driver_id    TEXT REFERENCES drivers (id),
  version      INT  NOT NULL DEFAULT 1,
  updated_by   TEXT NOT NULL,
  started_at   TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE run_stops (
  id           TEXT PRIMARY KEY,
  run_id       TEXT NOT NULL REFERENCES runs (id),
  position     INT  NOT NULL,
  order_id     TEXT NOT NULL REFERENCES orders (id),
  address      TEXT NOT NULL,
  lat          DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon          DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
  status       TEXT NOT NULL DEFAULT 'pending', -- pending, completed
  completed_at TIMESTAMPTZ,
  UNIQUE (run_id, position)
);

-- A POST with an Idempotency-Key: the row is inserted in the transaction of the change, so a retry either waits
-- for the first attempt's commit and gets its stored answer, or (first attempt rolled back) runs afresh.
CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,                 -- the caller (token subject)
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INT,
  response     TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- The JSON shapes of the canonical events' snapshots, defined once, here: every statement that changes a row
-- reads its snapshot back with these, inside the same transaction. PL/pgSQL rather than SQL functions: a SQL
-- function that cannot be inlined is planned again at every call (0.6 ms here against 0.3 ms).
CREATE FUNCTION sb_iso(ts TIMESTAMPTZ) RETURNS TEXT AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$ LANGUAGE sql IMMUTABLE;

-- Takes the row, so that an UPDATE can RETURN the order's new JSON in the same statement.
CREATE FUNCTION order_row_json(o orders) RETURNS JSON AS $$
BEGIN
  RETURN (SELECT json_build_object(
    'id', o.id, 'number', o.number, 'tenantId', o.tenant_id, 'shopId', o.shop_id,
    'customerId', o.customer_id, 'customerEmail', c.email,
    'status', o.status, 'paymentStatus', o.payment_status,
    'total', o.total, 'revenue', o.total, 'profit', o.total - o.cost,
    'items', COALESCE((SELECT json_agg(json_build_object('variantId', i.variant_id, 'productId', i.product_id,
                                                         'productName', i.product_name, 'quantity', i.quantity,
                                                         'price', i.price) ORDER BY i.line)
                       FROM order_items i WHERE i.order_id = o.id), '[]'::json),
    'notes', o.notes, 'assignedTo', o.assigned_to, 'deliveryAddress', o.delivery_address,
    'trackingNumber', s.tracking_number, 'courierName', s.courier_name, 'trackingUrl', s.tracking_url,
    'deliveredAt', sb_iso(o.delivered_at), 'version', o.version, 'updatedBy', o.updated_by,
    'createdAt', sb_iso(o.created_at), 'updatedAt', sb_iso(o.updated_at))
  FROM (SELECT 1) one
  LEFT JOIN customers c ON c.id = o.customer_id
  LEFT JOIN shipments s ON s.order_id = o.id);
END
$$ LANGUAGE plpgsql STABLE;

CREATE FUNCTION order_json(p_order_id TEXT) RETURNS JSON AS $$
BEGIN
  RETURN (SELECT order_row_json(o) FROM orders o WHERE o.id = $1);
END
$$ LANGUAGE plpgsql STABLE;

CREATE FUNCTION run_json(p_run_id TEXT) RETURNS JSON AS $$
BEGIN
  RETURN (SELECT json_build_object(
    'id', r.id, 'tenantId', r.tenant_id, 'name', r.name, 'status', r.status, 'driverId', r.driver_id,
    'completedStops', (SELECT count(*) FROM run_stops x WHERE x.run_id = r.id AND x.status = 'completed'),
    'totalStops', (SELECT count(*) FROM run_stops x WHERE x.run_id = r.id),
    'stops', COALESCE((SELECT json_agg(json_build_object('id', x.id, 'position', x.position, 'orderId', x.order_id,
                                                         'address', x.address, 'lat', x.lat, 'lon', x.lon,
                                                         'status', x.status, 'completedAt', sb_iso(x.completed_at))
                                       ORDER BY x.position)
                       FROM run_stops x WHERE x.run_id = r.id), '[]'::json),
    'startedAt', sb_iso(r.started_at), 'completedAt', sb_iso(r.completed_at), 'version', r.version,
    'updatedBy', r.updated_by, 'createdAt', sb_iso(r.created_at), 'updatedAt', sb_iso(r.updated_at))
  FROM runs r WHERE r.id = $1);
END
$$ LANGUAGE plpgsql STABLE;

-- A stock change's event data: the variant after the change.
CREATE FUNCTION variant_json(p_variant_id TEXT) RETURNS JSON AS $$
BEGIN
  RETURN (SELECT json_build_object(
    'variantId', v.id, 'productId', v.product_id, 'productName', v.product_name, 'variantName', v.name,
    'shopId', v.shop_id, 'tenantId', s.tenant_id, 'stockQuantity', v.stock_quantity, 'reserved', v.reserved,
    'available', v.stock_quantity - v.reserved, 'threshold', v.low_stock_threshold)
  FROM variants v JOIN shops s ON s.id = v.shop_id
  WHERE v.id = $1);
END
$$ LANGUAGE plpgsql STABLE;
