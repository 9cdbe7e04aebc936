// The dispatcher console: sign-in, then one live stream feeding the map, the run board, the order list and the
// toasts. Start-up state comes from the REST API; events and API answers are merged by version, so whichever
// arrives first, the newest wins.

import { ApiFailure, Session } from './session.js';
import { LiveStream } from './live-stream.js';
import { FleetMap } from './fleet-map.js';
import { clock, RunBoard } from './run-board.js';
import { OrderList } from './order-list.js';
import { Toasts } from './toasts.js';

const $ = (id) => document.getElementById(id);
const STAFF = new Set(['dispatcher', 'admin', 'service']);
const LABELS = { connecting: 'Connecting', live: 'Live', reconnecting: 'Reconnecting', offline: 'Offline' };

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
  const map = new FleetMap($('map'), config, { onSelect: (id) => selectDriver(id) });
  let selected = null;
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
      if (selected && json.drivers.some(d => d.driverId === selected)) renderDriver();
    } else if (type.startsWith('order.')) {
      const order = json.data.order;
      view.orderLog.push({ id: json.id, type, orderId: order.id, status: order.status });
      if (view.orderLog.length > 1000) view.orderLog.shift();
      const isNew = orders.apply(order, { deleted: type === 'order.deleted' }) && type === 'order.created';
      if (isNew) toasts.show('order', `New order #${order.number ?? order.id}`, `${order.customerEmail || order.customerId} · ${order.total ?? ''}`);
    } else if (type.startsWith('run.')) {
      runs.apply(json.data.run);
      if (selected && json.data.run.driverId === selected) renderDriver();
    } else if (type === 'stock.low') {
      const v = json.data;
      const name = [v.productName || v.variantId, v.variantName].filter(Boolean).join(' ');
      toasts.show('stock', 'Low stock', `${name}: ${v.available} left`);
    }
  }

  async function selectDriver(driverId) {
    selected = driverId;
    const from = new Date(Date.now() - map.trailMinutes * 60_000).toISOString();
    $('driver').hidden = false;
    $('driver-title').textContent = driverId;
    $('trail-minutes').textContent = map.trailMinutes;
    $('driver-close').onclick = () => { selected = null; map.deselect(); $('driver').hidden = true; };
    renderDriver();
    const [track, driver] = await Promise.allSettled([
      session.api(`/api/v1/drivers/${encodeURIComponent(driverId)}/track?from=${encodeURIComponent(from)}`),
      session.api(`/api/v1/drivers/${encodeURIComponent(driverId)}`)]);
    if (selected !== driverId) return;
    map.select(driverId, track.status === 'fulfilled' ? track.value.points : []);
    if (driver.status === 'fulfilled' && driver.value.name) $('driver-title').textContent = driver.value.name;
  }

  function renderDriver() {
    const p = map.positions.get(selected);
    const run = runs.runOfDriver(selected);
    const next = run?.stops?.find(s => s.status !== 'completed');
    const rows = [
      ['Driver', selected],
      ['Last fix', p ? new Date(p.timestamp).toLocaleTimeString() : '—'],
      ['Speed', p?.speed != null ? `${Math.round(p.speed)} km/h` : '—'],
      ['Position', p ? `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}` : '—'],
      ['Run', run ? `${run.name || run.id} (${run.status.replace('_', ' ')})` : 'none'],
      ['Stops', run ? `${run.completedStops}/${run.totalStops}` : '—'],
      ['Next stop', next ? `${next.address}${next.eta ? ' · ETA ' + clock(Date.parse(next.eta)) : ''}` : '—'],
    ];
    const dl = $('driver-details');
    dl.replaceChildren(...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = v; dd.dataset.field = k.toLowerCase().replace(' ', '-');
      return [dt, dd];
    }));
  }
}
