// @switchboard/client (clients/js) against three real nodes behind nginx (SB_TEST_CONFIG, from JsClientTest): a
// SIGKILLed serving node, a balancer that buffers streams, and tokens that expire under a stream. In each, events
// are published through the balancer while the client listens, and every accepted event must arrive exactly once,
// in order. Runs in one process, one test after another; the kill test goes last.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { SwitchboardClient } from "../../../../../../clients/js/src/index.js";

const config = JSON.parse(readFileSync(process.env.SB_TEST_CONFIG, "utf8"));
const clients = [];
after(() => clients.forEach((c) => c.close()));

/** An HS256 token of the test cluster, valid for `seconds`. */
function token(role, seconds, subject = `client-test-${role}`) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: subject, role, tenant: config.tenant, iat: now, exp: now + seconds })}`;
  return `${body}.${createHmac("sha256", config.secret).update(body).digest("base64url")}`;
}

const service = token("service", 3600);

/** Publishes `type` events one after another until stopped; keeps the ids of those answered 202. */
function publisher(channel) {
  const accepted = [];
  let running = true;
  let n = 0;
  const done = (async () => {
    while (running) {
      n++;
      try {
        const res = await fetch(`${config.lb}/api/v1/events`, {
          method: "POST",
          headers: { Authorization: `Bearer ${service}`, "Content-Type": "application/json" },
          body: JSON.stringify({ channels: [channel], type: "client.test", data: { n } }),
        });
        if (res.status === 202) accepted.push((await res.json()).id);
        else await res.arrayBuffer();
      } catch {
        // the balancer's upstream died mid-request: not accepted, so not expected either
      }
      await sleep(20);
    }
  })();
  return { accepted, stop: async () => { running = false; await done; } };
}

function listen(options) {
  const seen = [];
  const states = [];
  const client = new SwitchboardClient({ backoff: { initialMs: 100, maxMs: 1000 }, ...options,
    onEvent: (m) => seen.push(m), onStateChange: (s) => states.push(s.state) });
  clients.push(client);
  return { client, seen, states };
}

function exactlyOnceInOrder(seen, accepted) {
  const ids = seen.map((m) => m.data.eventId);
  assert.equal(new Set(ids).size, ids.length, "no event twice");
  const seqs = seen.map((m) => m.id);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "in order");
  const got = new Set(ids);
  const missing = accepted.filter((id) => !got.has(id));
  assert.deepEqual(missing, [], "every accepted event arrived");
}

async function until(what, predicate, ms = 20_000, state = () => "") {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what} ${state()}`);
    await sleep(25);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("a token that expires under the stream is refreshed and the stream resumes exactly", async () => {
  const channel = `tenant:${config.tenant}:client-refresh`;
  let asked = 0;
  const errors = [];
  const { client, seen, states } = listen({
    url: config.lb, channels: [channel], transport: "fetch",
    getToken: () => { asked++; return token("dispatcher", 4); },
    onError: (e) => errors.push(String(e)),
  });
  await until("live", () => client.state === "live");
  const pub = publisher(channel);
  await sleep(9000); // two expiries at least
  await pub.stop();
  await until("every accepted event", () => seen.length >= pub.accepted.length, 20_000,
    () => JSON.stringify({ seen: seen.length, accepted: pub.accepted.length, asked, states, errors: errors.slice(0, 5) }));
  assert.ok(asked >= 3, `getToken was asked ${asked} times`);
  exactlyOnceInOrder(seen, pub.accepted);
});

test("a balancer that buffers streams sends the client to polling, and every event still arrives once", async () => {
  const channel = `tenant:${config.tenant}:client-buffered`;
  const { client, seen, states } = listen({
    url: config.bufferingLb, channels: [channel], token: token("dispatcher", 3600),
    connectTimeoutMs: 3000, fallbackAfterFailures: 2, pollTimeoutSeconds: 5,
  });
  const errors = [];
  client.on("error", (e) => errors.push(String(e)));
  await until("polling", () => client.state === "polling", 20_000, () => JSON.stringify({ states, seen: seen.length, errors }));
  // The subscription starts where the first poll says "now" is, as a stream starts at its connected frame.
  await until("a position", () => client.lastEventId !== null);
  const pub = publisher(channel);
  await sleep(4000);
  await pub.stop();
  await until("every accepted event", () => seen.length >= pub.accepted.length, 20_000,
    () => JSON.stringify({ states, seen: seen.length, accepted: pub.accepted.length, last: client.lastEventId, errors: errors.slice(0, 3) }));
  assert.ok(pub.accepted.length > 20, `published ${pub.accepted.length}`);
  assert.ok(!states.includes("live"), "never live through a buffering balancer");
  exactlyOnceInOrder(seen, pub.accepted);
});

test("a stream whose node is SIGKILLed resumes on another node with every event once, in order", async () => {
  const channel = `tenant:${config.tenant}:client-kill`;
  const servedBy = [];
  const { client, seen, states } = listen({
    url: config.lb, channels: [channel], token: token("dispatcher", 3600),
    heartbeatTimeoutMs: 5000,
  });
  client.on("connected", (c) => servedBy.push(c.node));
  await until("live", () => client.state === "live");
  const pub = publisher(channel);
  await until("some events", () => seen.length >= 10);
  const victim = config.nodes.find((n) => n.id === servedBy[0]);
  process.kill(victim.pid, "SIGKILL");
  await until("a second node", () => servedBy.length >= 2 && client.state === "live");
  await sleep(1500);
  await pub.stop();
  await until("every accepted event", () => seen.length >= pub.accepted.length);
  assert.notEqual(servedBy.at(-1), victim.id);
  assert.ok(states.includes("reconnecting"));
  exactlyOnceInOrder(seen, pub.accepted);
});
