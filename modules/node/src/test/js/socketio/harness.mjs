// What the Socket.IO tests share: the cluster the Java side started (SB_TEST_CONFIG: a JSON file with the balancer's
// URL, the nodes, a commerce fixture and tokens), the commerce API, and small waiting helpers. The clients are the
// real socket.io-client package; nothing here speaks the protocol itself except where a test must send what no
// client would.
import { readFileSync } from "node:fs";
import { io } from "socket.io-client";

export const config = JSON.parse(readFileSync(process.env.SB_TEST_CONFIG, "utf8"));
export const lb = config.lb;

const opened = [];

/** Closes every socket `connect` opened (each file's `after`), so that the test process can end. */
export function closeAll() {
  for (const s of opened) {
    s.close();
  }
}

/** A socket.io-client socket on `nsp` through the balancer; `nodes` lists the nodes its CONNECTs were answered by. */
export function connect(nsp, options = {}) {
  const socket = io(lb + nsp, { forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500, ...options });
  opened.push(socket);
  socket.nodes = [];
  socket.io.on("packet", (p) => {
    if (p.type === 0 && p.data && p.data.node && (p.nsp === socket.nsp)) {
      socket.nodes.push(p.data.node);
    }
  });
  return socket;
}

/** Resolves on the next `connect` (or rejects on `connect_error`). */
export function connected(socket, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no connect within " + timeoutMs + " ms")), timeoutMs);
    socket.once("connect", () => { clearTimeout(t); resolve(socket); });
    socket.once("connect_error", (e) => { clearTimeout(t); reject(e); });
  });
}

/** Records every event the socket gets (name, args) in arrival order. */
export function record(socket) {
  const seen = [];
  socket.onAny((name, ...args) => seen.push({ name, args }));
  return seen;
}

export async function until(what, predicate, timeoutMs = 10_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const v = predicate();
    if (v) {
      return v;
    }
    await sleep(25);
  }
  throw new Error("timed out waiting for " + what);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A call of the REST API through the balancer; returns {status, body}. */
export async function api(method, path, token, body) {
  const r = await fetch(lb + path, {
    method,
    headers: { Authorization: "Bearer " + token, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: r.status, body: json };
}

export async function publish(channel, type, data, token = config.tokens.service) {
  return api("POST", "/api/v1/events", token, { channels: [channel], type, data });
}

/** The events named `name` among `seen`, their first argument each. */
export function payloads(seen, name) {
  return seen.filter((e) => e.name === name).map((e) => e.args[0]);
}

/** The offset (last argument, a string) of each event named `name`. */
export function offsets(seen, name) {
  return seen.filter((e) => e.name === name).map((e) => e.args[e.args.length - 1]);
}

let orders = 0;
export function orderId() {
  return "o-" + process.pid + "-" + Date.now() + "-" + ++orders;
}

export async function placeOrder(id, quantity, variant = config.variant) {
  const r = await api("POST", "/api/v1/orders", config.tokens.service, {
    id, shopId: config.shop, customerId: config.customer,
    items: [{ variantId: variant, quantity }],
  });
  if (r.status !== 201) {
    throw new Error("placing an order answered " + r.status + ": " + JSON.stringify(r.body));
  }
  return r.body;
}

export async function setStatus(id, status) {
  const r = await api("PATCH", "/api/v1/orders/" + id, config.tokens.service, { status });
  if (r.status !== 200) {
    throw new Error("PATCH status " + status + " answered " + r.status + ": " + JSON.stringify(r.body));
  }
  return r.body;
}
