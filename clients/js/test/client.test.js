import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SwitchboardClient} from '../src/index.js';
import {FakeServer, frame, json, stream, until} from './fake-server.js';

const NO_WAIT = {initialMs: 1, maxMs: 5};

function client(server, options = {}) {
  const seen = [];
  const states = [];
  const resets = [];
  const c = new SwitchboardClient({
    url: 'http://sb.test', channels: ['tenant:t1:orders'], fetch: server.fetch, backoff: NO_WAIT,
    onEvent: m => seen.push(m), onStateChange: s => states.push(s.state), onReset: r => resets.push(r),
    ...options,
  });
  return {c, seen, states, resets};
}

test('events arrive once each, in order, and the state goes live with the first frame', async () => {
  const server = new FakeServer();
  let s;
  server.next(r => (s = stream(r)).response);
  const {c, seen, states} = client(server, {token: 'T'});
  await until(() => s);
  s.push(frame(10, {type: 'connected', lastEventId: 10}));
  s.push(frame(11, {type: 'order.created', n: 1}, 'order.created') + frame(11, {type: 'order.created', n: 1}));
  s.push(frame(12, {type: 'order.updated', n: 2}));
  await until(() => seen.length === 2);
  assert.deepEqual(seen.map(m => [m.id, m.type]), [[11, 'order.created'], [12, 'order.updated']]);
  assert.deepEqual(states, ['live']);
  assert.equal(server.requests[0].headers.Authorization, 'Bearer T');
  assert.equal(server.requests[0].url.searchParams.getAll('channel')[0], 'tenant:t1:orders');
  assert.equal(c.lastEventId, 12);
  c.close();
});

test('a broken stream is resumed with Last-Event-ID and what was seen already is dropped', async () => {
  const server = new FakeServer();
  const streams = [];
  server.next(r => { const s = stream(r); streams.push(s); return s.response; });
  server.next(r => { const s = stream(r); streams.push(s); return s.response; });
  const {c, seen, states} = client(server);
  await until(() => streams.length === 1);
  streams[0].push(frame(5, {type: 'connected'}) + frame(6, {type: 'a'}) + frame(7, {type: 'b'}));
  await until(() => seen.length === 2);
  streams[0].end(); // the node died
  await until(() => streams.length === 2);
  assert.equal(server.requests[1].headers['Last-Event-ID'], '7');
  streams[1].push(frame(7, {type: 'connected'}) + frame(7, {type: 'b'}) + frame(9, {type: 'c'}));
  await until(() => seen.length === 3);
  assert.deepEqual(seen.map(m => m.id), [6, 7, 9]);
  assert.deepEqual(states, ['live', 'reconnecting', 'live']);
  c.close();
});

test('a reset calls onReset and moves the resume point to the head', async () => {
  const server = new FakeServer();
  let s;
  server.next(r => (s = stream(r)).response);
  const {c, resets, seen} = client(server, {lastEventId: 3});
  await until(() => s);
  assert.equal(server.requests[0].headers['Last-Event-ID'], '3');
  s.push(frame(100, {type: 'reset', reason: 'retention', requestedLastEventId: 3, lastEventId: 100}));
  s.push(frame(101, {type: 'x'}));
  await until(() => seen.length === 1);
  assert.equal(resets.length, 1);
  assert.equal(resets[0].reason, 'retention');
  assert.equal(c.lastEventId, 101);
  c.close();
});

test('a frame with only an id moves the resume point without an event (the meal app stream opens so)', async () => {
  const server = new FakeServer();
  let s;
  server.next(r => (s = stream(r)).response);
  const {c, seen, states} = client(server, {channels: [], path: '/api/notifications/orders/o1/status'});
  await until(() => s);
  s.push('id: 40\n\n');
  await until(() => c.lastEventId === 40);
  assert.equal(seen.length, 0);
  assert.deepEqual(states, ['live']);
  c.close();
});

test('named and unnamed frames of the same event reach the same handler once', async () => {
  const server = new FakeServer();
  let s;
  server.next(r => (s = stream(r)).response);
  const {c} = client(server, {channels: [], path: '/api/v1/realtime/shops/s1/dashboard'});
  const got = [];
  c.on('new_order', m => got.push(m.id));
  await until(() => s);
  s.push(frame(1, {type: 'new_order', data: {}}, 'dashboard_update') + frame(1, {type: 'new_order', data: {}}));
  s.push(frame(2, {type: 'new_order', data: {}}));
  await until(() => got.length === 2);
  assert.deepEqual(got, [1, 2]);
  c.close();
});

test('a 401 asks getToken for a fresh token once, and a second 401 stops the client', async () => {
  const server = new FakeServer();
  const asked = [];
  server.next(() => json(401, {error: 'unauthorized', message: 'expired'}));
  server.next(() => json(401, {error: 'unauthorized', message: 'still'}));
  const errors = [];
  const {c, states} = client(server, {
    getToken: ({forceRefresh}) => { asked.push(forceRefresh); return `tok${asked.length}`; },
    onError: e => errors.push(e),
  });
  await until(() => c.state === 'failed');
  assert.deepEqual(asked, [false, true]);
  assert.equal(server.requests[1].headers.Authorization, 'Bearer tok2');
  assert.equal(errors.at(-1).status, 401);
  assert.deepEqual(states, ['failed']);
});

test('a stream ended for an expired token is reopened at once with a new token and the same position', async () => {
  const server = new FakeServer();
  const streams = [];
  const open = r => { const s = stream(r); streams.push(s); return s.response; };
  server.next(open).next(open);
  let n = 0;
  const {c} = client(server, {getToken: () => `tok${++n}`, backoff: {initialMs: 60_000, maxMs: 60_000}});
  await until(() => streams.length === 1);
  streams[0].push(frame(1, {type: 'connected'}) + frame(2, {type: 'a'}));
  streams[0].push(frame(null, {type: 'access_ended', reason: 'token_expired', lastEventId: 2}));
  await until(() => streams.length === 2, 1000); // no 60 s backoff
  assert.equal(server.requests[1].headers.Authorization, 'Bearer tok2');
  assert.equal(server.requests[1].headers['Last-Event-ID'], '2');
  c.close();
});

test('a 403 stops the client for good', async () => {
  const server = new FakeServer();
  server.next(() => json(403, {error: 'forbidden', message: 'not yours'}));
  const {c} = client(server);
  await until(() => c.state === 'failed');
  assert.equal(server.requests.length, 1);
});

test('a silent stream is noticed by the heartbeat watchdog and reopened', async () => {
  const server = new FakeServer();
  const streams = [];
  const open = r => { const s = stream(r); streams.push(s); return s.response; };
  server.next(open).next(open);
  const {c} = client(server, {heartbeatTimeoutMs: 50});
  await until(() => streams.length === 1);
  streams[0].push(frame(1, {type: 'connected'}) + ': heartbeat\n\n');
  await until(() => streams.length === 2, 1000);
  assert.equal(server.requests[1].headers['Last-Event-ID'], '1');
  c.close();
});

test('streams that never deliver their first frame send the client to polling, which misses nothing', async () => {
  const server = new FakeServer();
  // Three streams held back by a buffering proxy: headers, then nothing.
  for (let i = 0; i < 3; i++) server.next(r => stream(r).response);
  server.next(() => json(200, {events: [{id: 21, type: 'a'}, {id: 22, type: 'b'}], lastEventId: 22}));
  server.next(() => json(200, {events: [], lastEventId: 22}));
  server.next(() => json(200, {events: [{id: 22, type: 'b'}, {id: 25, type: 'c'}], lastEventId: 25}));
  const {c, seen, states} = client(server, {lastEventId: 20, connectTimeoutMs: 30, streamRetryIntervalMs: 60_000});
  await until(() => seen.length === 3, 3000);
  assert.deepEqual(seen.map(m => m.id), [21, 22, 25]);
  assert.equal(states.at(-1), 'polling');
  const polls = server.requests.filter(r => r.url.pathname === '/api/v1/realtime/poll');
  assert.deepEqual(polls.slice(0, 4).map(r => r.url.searchParams.get('lastEventId')), ['20', '22', '22', '25']);
  c.close();
});

test('while polling, a stream that works again takes over from the last id', async () => {
  const server = new FakeServer();
  for (let i = 0; i < 3; i++) server.next(r => stream(r).response);
  server.next(() => json(200, {events: [{id: 31, type: 'a'}], lastEventId: 31}));
  let live;
  server.next(r => (live = stream(r)).response);
  const {c, seen, states} = client(server, {lastEventId: 30, connectTimeoutMs: 30, streamRetryIntervalMs: 0});
  await until(() => live, 3000);
  live.push(frame(31, {type: 'connected'}) + frame(32, {type: 'b'}));
  await until(() => seen.length === 2);
  assert.deepEqual(seen.map(m => m.id), [31, 32]);
  assert.equal(server.requests.at(-1).headers['Last-Event-ID'], '31');
  assert.deepEqual(states.slice(-2), ['polling', 'live']);
  c.close();
});

test('the last id survives a page reload through the given storage', async () => {
  const store = new Map();
  const storage = {getItem: k => store.get(k) ?? null, setItem: (k, v) => store.set(k, v)};
  const server = new FakeServer();
  let s;
  server.next(r => (s = stream(r)).response);
  const first = client(server, {storage});
  await until(() => s);
  s.push(frame(1, {type: 'connected'}) + frame(8, {type: 'a'}));
  await until(() => first.seen.length === 1);
  first.c.close();
  const again = new FakeServer();
  again.next(r => stream(r).response);
  const second = client(again, {storage});
  await until(() => again.requests.length === 1);
  assert.equal(again.requests[0].headers['Last-Event-ID'], '8');
  second.c.close();
});

test('a handler that throws does not stop the others or the stream', async () => {
  const server = new FakeServer();
  let s;
  server.next(r => (s = stream(r)).response);
  const errors = [];
  const {c, seen} = client(server, {onError: e => errors.push(e)});
  c.on('a', () => { throw new Error('page bug'); });
  await until(() => s);
  s.push(frame(1, {type: 'a'}) + frame(2, {type: 'b'}));
  await until(() => seen.length === 2);
  assert.equal(errors[0].message, 'page bug');
  c.close();
});

test('a token close to its expiry is replaced before the stream opens', async () => {
  const jwt = claims => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
  const now = Math.floor(Date.now() / 1000);
  const tokens = [jwt({iat: now - 3590, exp: now + 10}), jwt({iat: now, exp: now + 3600})];
  const asked = [];
  const server = new FakeServer();
  server.next(r => stream(r).response);
  const {c} = client(server, {getToken: ({forceRefresh}) => { asked.push(forceRefresh); return tokens.shift(); }});
  await until(() => server.requests.length === 1);
  assert.deepEqual(asked, [false, true]);
  assert.match(server.requests[0].headers.Authorization, new RegExp(`\\.${jwt({iat: now, exp: now + 3600}).split('.')[1]}\\.`));
  c.close();
});

test('over EventSource, a ticket is bought per stream and the position travels in the query', async () => {
  const sources = [];
  class FakeEventSource {
    constructor(url) { this.url = new URL(url); sources.push(this); }
    close() { this.closed = true; }
    emit(data, lastEventId) { this.onmessage({data: JSON.stringify(data), lastEventId}); }
  }
  const server = new FakeServer();
  let tickets = 0;
  const ticket = () => json(201, {ticket: `t${++tickets}`});
  server.next(ticket).next(ticket);
  const {c, seen} = client(server, {token: 'T', transport: 'eventsource', EventSource: FakeEventSource});
  await until(() => sources.length === 1);
  assert.equal(server.requests[0].url.pathname, '/api/v1/realtime/tickets');
  assert.equal(sources[0].url.searchParams.get('ticket'), 't1');
  sources[0].emit({type: 'connected'}, '5');
  sources[0].emit({type: 'a'}, '6');
  sources[0].emit({type: 'fleet_update'}, '6'); // a live frame: no id of its own
  sources[0].onerror();
  await until(() => sources.length === 2);
  assert.equal(sources[1].url.searchParams.get('ticket'), 't2');
  assert.equal(sources[1].url.searchParams.get('lastEventId'), '6');
  assert.deepEqual(seen.map(m => [m.id, m.type]), [[6, 'a'], [null, 'fleet_update']]);
  c.close();
});

test('streams whose first frame passes but nothing after it (a proxy that buffers) send the client to polling', async () => {
  const server = new FakeServer();
  for (let i = 0; i < 2; i++) server.next(r => { const s = stream(r); s.push(frame(9, {type: 'connected'})); return s.response; });
  server.next(() => json(200, {events: [{id: 10, type: 'a'}], lastEventId: 10}));
  const {c, seen, states} = client(server, {connectTimeoutMs: 40, fallbackAfterFailures: 2, streamRetryIntervalMs: 60_000});
  await until(() => seen.length === 1, 3000);
  assert.deepEqual(states, ['live', 'reconnecting', 'live', 'polling']);
  assert.equal(c.lastEventId, 10);
  c.close();
});
