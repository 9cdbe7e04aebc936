// The dispatcher console: sign-in, then one live stream feeding the map, the run board, the order list and the
// toasts. Start-up state comes from the REST API; events and API answers are merged by version, so whichever
// arrives first, the newest wins.

import { ApiFailure, Session } from './session.js';
import { LiveStream } from './live-stream.js';
import { FleetMap } from './fleet-map.js';
import { RunBoard } from './run-board.js';
import { DriverPanel } from './driver-panel.js';
import { OrderList } from './order-list.js';
import { Toasts } from './toasts.js';

const $ = (id) => document.getElementById(id);
const STAFF = new Set(['dispatcher', 'admin', 'service']);
const LABELS = { connecting: 'Connecting', live: 'Live', reconnecting: 'Reconnecting', polling: 'Offline (polling)', offline: 'Offline' };

const config = await fetch('config.json').then(r => r.json());
const toasts = new Toasts($('toasts'));

// What the page shows, for the end-to-end tests and for anyone debugging in the browser's console.
const view = window.switchboardConsole = {
  state: 'offline', node: null, events: 0, states: [], orderLog: [], fleetApplyMs: [],
};

const restored = Session.restore();
if (restored) start(restored); else showSignIn();

function showSignIn(message = '') {
  $('signin').hidden = false;
  $('console').hidden = true;
  $('signin-error').textContent = message;
  $('signin-dev').hidden = !config.devSignIn;
  $('signin-token').onclick = () => signIn(() => $('token').value.trim());
  $('signin-dev').onclick = () => signIn(async () => {
    const r = await fetch('dev-token', { method: 'POST' });
    if (!r.ok) throw new Error(`development sign-in failed (HTTP ${r.status})`);
    return (await r.json()).token;
  });
}

async function signIn(tokenSource) {
  $('signin-error').textContent = '';
  try {
    const session = new Session(await tokenSource());
    if (session.expired()) throw new Error('this token has expired');
    if (!STAFF.has(session.role)) throw new Error(`the console is for dispatchers; this token's role is ${session.role}`);
    await session.api('/api/v1/runs?status=active&limit=1'); // the node checks the signature
    session.save();
    start(session);
  } catch (e) {
    $('signin-error').textContent = e instanceof ApiFailure && e.status === 401
      ? 'This token is not accepted by the cluster.' : e.message;
  }
}

function start(session) {
  $('signin').hidden = true;
  $('console').hidden = false;
  $('signout').hidden = false;
  $('tenant').textContent = `tenant ${session.tenant} · ${session.subject}`;
  $('signout').onclick = () => { Session.clear(); location.reload(); };

  const tenant = session.tenant;
  const runs = new RunBoard($('runs'), $('runs-count'));
  const orders = new OrderList($('orders'), $('orders-count'));
  const map = new FleetMap($('map'), config, { onSelect: (id) => driver.open(id) });
  const driver = new DriverPanel({ panel: $('driver'), title: $('driver-title'), details: $('driver-details'),
    trailMinutes: $('trail-minutes'), close: $('driver-close') }, session, map, runs);
  Object.assign(view, {
    driverCount: () => map.markers.size,
    markersCreated: () => map.created,
    driverPosition: (id) => map.positions.get(id) || null,
    driverPoint: (id) => map.pointOf(id),
    trailPoints: () => (map.trail ? map.trail.getLatLngs().length : 0),
    allPositions: () => [...map.positions.values()],
    leafletMap: map.map,
    lastEventId: () => stream.lastEventId,
  });

  const stream = new LiveStream(session,
    [`fleet:${tenant}`, `tenant:${tenant}:orders`, `tenant:${tenant}:runs`, `stock:${tenant}`], {
      onEvent: (json) => { view.events++; onEvent(json); },
      onState: (state, node) => {
        view.state = state;
        if (node) view.node = node;
        view.states.push(state);
        $('status').dataset.state = state;
        $('status').querySelector('.label').textContent = LABELS[state];
        $('node').textContent = state === 'live' && node ? node : '';
      },
      onAuthFailure: () => { stream.stop(); Session.clear(); showSignIn('Your session has ended: sign in again.'); },
      onReset: () => { runs.clear(); orders.clear(); loadState(); },
    });
  stream.start();
  loadState();
  setInterval(() => {
    map.forgetSilent(config.staleAfterMs || 10 * 60_000);
    $('counts').textContent = `${map.markers.size} drivers`;
  }, 30_000);

  async function loadState() {
    try {
      const [r, o] = await Promise.all([session.api('/api/v1/runs?status=active&limit=200'),
        session.api('/api/v1/orders?limit=100')]);
      runs.load(r.runs);
      orders.load(o.orders);
    } catch (e) {
      toasts.show('error', 'Could not load runs and orders', e.message);
      setTimeout(loadState, 3000);
    }
  }

  function onEvent(json) {
    const type = json.type;
    if (type === 'fleet_snapshot' || type === 'fleet_update') {
      const started = performance.now();
      map.apply(json);
      view.fleetApplyMs.push(performance.now() - started); // the benchmark reads it (docs/benchmarks.md)
      if (view.fleetApplyMs.length > 1000) view.fleetApplyMs.shift();
      $('counts').textContent = `${map.markers.size} drivers`;
      driver.refreshIf(id => json.drivers.some(d => d.driverId === id));
    } else if (type.startsWith('order.')) {
      const order = json.data.order;
      view.orderLog.push({ id: json.id, type, orderId: order.id, status: order.status });
      if (view.orderLog.length > 1000) view.orderLog.shift();
      const isNew = orders.apply(order, { deleted: type === 'order.deleted' }) && type === 'order.created';
      if (isNew) toasts.show('order', `New order #${order.number ?? order.id}`, `${order.customerEmail || order.customerId} · ${order.total ?? ''}`);
    } else if (type.startsWith('run.')) {
      runs.apply(json.data.run);
      driver.refreshIf(id => json.data.run.driverId === id);
    } else if (type === 'stock.low') {
      const v = json.data;
      const name = [v.productName || v.variantId, v.variantName].filter(Boolean).join(' ');
      toasts.show('stock', 'Low stock', `${name}: ${v.available} left`);
    }
  }
}
