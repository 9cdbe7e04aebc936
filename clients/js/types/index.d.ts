// Types of @switchboard/client. The event shapes are those of docs/events.md.

export type ConnectionStateName = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'failed' | 'closed';

export declare const ConnectionState: {
  readonly CONNECTING: 'connecting';
  readonly LIVE: 'live';
  readonly RECONNECTING: 'reconnecting';
  readonly POLLING: 'polling';
  readonly FAILED: 'failed';
  readonly CLOSED: 'closed';
};

/** What every handler receives. */
export interface SwitchboardMessage<T = unknown> {
  /** The event's number in the log (the SSE id); null for live frames without one (GPS positions). */
  id: number | null;
  /** The payload's `type` when it has one, else the SSE event name, else "message". */
  type: string;
  data: T;
}

// ---- The canonical stream (GET /api/v1/realtime/stream) ----

export interface CanonicalEvent<D = Record<string, unknown>> {
  id: number;
  eventId: string;
  type: string;
  channels: string[];
  data: D;
  timestamp: string;
}

export interface Order {
  id: string; number: string; tenantId: string; shopId: string | null; customerId: string | null;
  customerEmail: string | null; status: string; paymentStatus: string; total: number; revenue: number;
  profit: number; items: Array<{productId: string; productName: string; quantity: number; price: number}>;
  notes: string | null; assignedTo: string | null; deliveryAddress: string | null; trackingNumber: string | null;
  courierName: string | null; trackingUrl: string | null; deliveredAt: string | null; version: number;
  updatedBy: string | null; createdAt: string; updatedAt: string;
}

export interface RunStop { id: string; orderId: string | null; arrivedAt: string | null; eta: string | null; [k: string]: unknown }
export interface Run { id: string; status: string; completedStops: number; totalStops: number; stops: RunStop[]; [k: string]: unknown }

export type OrderEventType = 'order.created' | 'order.updated' | 'order.status_changed' | 'payment.succeeded'
  | 'payment.failed' | 'order.shipped' | 'order.tracking_updated' | 'order.delivered' | 'order.deleted'
  | 'order.arrived' | 'order.eta_updated';
export type StockEventType = 'stock.adjusted' | 'stock.reserved' | 'stock.committed' | 'stock.released' | 'stock.low';
export type RunEventType = 'run.created' | 'run.driver_assigned' | 'run.started' | 'run.stop_completed'
  | 'run.completed' | 'run.stop_arrived' | 'run.eta_updated';

export type OrderEvent = CanonicalEvent<{order: Order; previousStatus?: string; reason?: string}> & {type: OrderEventType};
export type RunEvent = CanonicalEvent<{run: Run; stopId?: string; arrivedAt?: string}> & {type: RunEventType};

// ---- Seed families (docs/events.md) ----

/** Shop family (/api/realtime/events, /api/realtime/events/user). */
export interface ShopEvent { type: string; data: Record<string, unknown>; timestamp: string }
/** Delivery family: order, run and driver streams. */
export interface DeliveryOrderUpdate { type: 'order_update'; orderId: string; data: Order & {deleted?: boolean; actualArrival?: string} }
export interface DeliveryRunUpdate { type: 'run_update'; runId: string; data: Run }
export interface DriverLocation {
  type: 'driver_location'; driverId: string; timestamp: string;
  location: {latitude: number; longitude: number; heading: number | null; speed: number | null; accuracy?: number};
}
export interface FleetFrame { type: 'fleet_snapshot' | 'fleet_update'; tenantId: string; count?: number; drivers: Array<Record<string, unknown>>; at: string }
/** Tenant family (/api/tenants/{t}/realtime/orders). */
export interface TenantOrderEvent { type: 'order_created' | 'order_updated' | 'order_deleted'; orderId: string; timestamp: string; updatedBy: string | null }
/** Seller dashboard family (/api/v1/realtime/shops/{id}/dashboard). */
export type DashboardUpdate =
  | {type: 'new_order'; data: {orderId: string; total: number; revenue: number; profit: number; items: unknown[]; customerEmail: string | null; createdAt: string}}
  | {type: 'low_stock'; data: {productId: string; productName: string; currentStock: number; threshold: number}}
  | {type: 'inventory_update'; data: {updates: Array<{productId: string; productName: string; newStock: number}>}};
/** Meal app family (/api/notifications/orders/{id}/status): no `type`, so handlers get it as "message". */
export interface MealStatus { orderId: string; status: string; timestamp: string }

export interface ResetInfo { type?: 'reset'; reason: string; requestedLastEventId: number | null; lastEventId: number }
export interface StateChange { state: ConnectionStateName; previous: ConnectionStateName }

export interface KeyValueStorage { getItem(key: string): string | null; setItem(key: string, value: string): void }

export interface ClientOptions {
  /** The cluster's base URL ("" for the page's own origin). */
  url?: string;
  /** Channels of the generic stream (tenant:t:orders, order:o1, ...). Needed for the polling fallback. */
  channels?: string[];
  /** A family's stream path instead (e.g. /api/v1/realtime/orders/o1/stream). */
  path?: string;
  /** More query parameters of the stream (events, tenant, ...). */
  query?: Record<string, string>;
  /** A bearer token. */
  token?: string;
  /** Asked for a token before connecting, again on a 401, when a stream's token expired, and 30 s before `exp`. */
  getToken?: (o: {forceRefresh: boolean}) => string | Promise<string>;
  /** Buy a single-use stream ticket with the token for each stream (the default with transport "eventsource"). */
  useTicket?: boolean;
  /** Send the page's cookies (the access_token cookie). */
  withCredentials?: boolean;
  /** "auto" (fetch streaming, else EventSource; polling when streams keep failing), or one of them only. */
  transport?: 'auto' | 'fetch' | 'eventsource' | 'polling';
  /** Resume from here (else from storage, else from now). */
  lastEventId?: number;
  /** Keeps the last id across page loads (e.g. sessionStorage). */
  storage?: KeyValueStorage;
  storageKey?: string;
  /** The first frame must come within this (default 10 s), or the stream counts as failed. */
  connectTimeoutMs?: number;
  /** A live stream silent for this long is dead (default 45 s; the server's heartbeat is 30 s). */
  heartbeatTimeoutMs?: number;
  /** Failed streams in a row before polling (default 3). */
  fallbackAfterFailures?: number;
  /** While polling, how often streaming is tried again (default 60 s). */
  streamRetryIntervalMs?: number;
  /** How long one poll waits for events (default 25 s, at most 30). */
  pollTimeoutSeconds?: number;
  backoff?: {initialMs?: number; maxMs?: number; random?: () => number};
  onEvent?: (message: SwitchboardMessage<any>) => void;
  onReset?: (info: ResetInfo) => void;
  onStateChange?: (change: StateChange) => void;
  onError?: (error: Error) => void;
  /** Start at once (default true). */
  start?: boolean;
  fetch?: typeof fetch;
  EventSource?: unknown;
}

export declare class SwitchboardClient {
  constructor(options: ClientOptions);
  readonly state: ConnectionStateName;
  readonly lastEventId: number | null;
  on<T = any>(type: string, handler: (message: SwitchboardMessage<T>) => void): () => void;
  on(type: 'state', handler: (change: StateChange) => void): () => void;
  on(type: 'reset', handler: (info: ResetInfo) => void): () => void;
  on(type: 'error', handler: (error: Error) => void): () => void;
  start(): this;
  close(): void;
}

export declare function connect(options: ClientOptions): SwitchboardClient;

export declare class HttpError extends Error {
  readonly status: number;
  readonly error: string;
  readonly permanent: boolean;
}

export declare function tokenExpiry(token: string): number | null;

export interface SseFrame { type: string; data: string; lastEventId: string; hasId: boolean }
export declare class SseParser {
  constructor(handlers?: {onFrame?: (f: SseFrame) => void; onRetry?: (ms: number) => void;
    onComment?: (text: string) => void; onPosition?: (id: string) => void});
  readonly lastEventId: string;
  feed(text: string): void;
}

export declare class Backoff {
  constructor(options?: {initialMs?: number; maxMs?: number; random?: () => number});
  honour(retryMs: number): void;
  next(): number;
  succeeded(): void;
}
