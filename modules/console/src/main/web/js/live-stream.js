// The console's one stream: the tenant's fleet (live positions, conflated, no ids) and its orders, runs and stock
// alerts (durable, numbered). EventSource's own reconnect would reuse a ticket that is already spent, so this
// class reconnects itself: a fresh ticket and ?lastEventId= the last numbered event seen, on whichever node the
// load balancer picks. The node replays everything missed, in order, then goes live: nothing lost, nothing twice.

const STREAM = '/api/v1/realtime/stream';
const OFFLINE_AFTER_FAILURES = 5;

export class LiveStream {
  /**
   * onEvent(json, id): every frame after `connected`; id is the sequence number of numbered events, else null.
   * onState(state, detail): 'connecting' | 'live' | 'reconnecting' | 'offline' (detail: the serving node).
   * onAuthFailure(): the token was refused (expired, revoked): sign in again.
   */
  constructor(session, channels, { onEvent, onState, onAuthFailure, onReset }) {
    this.session = session;
    this.channels = channels;
    this.handlers = { onEvent, onState, onAuthFailure, onReset };
    this.lastEventId = null;
    this.failures = 0;
    this.source = null;
    this.timer = null;
    this.stopped = false;
  }

  start() {
    this.#state('connecting');
    // Without a network the stream cannot be live, whatever an idle socket still pretends: close it and wait
    // for the network to come back, then resume from the last event seen.
    window.addEventListener('offline', () => {
      clearTimeout(this.timer);
      this.source?.close();
      this.source = null;
      this.#state('offline');
    });
    window.addEventListener('online', () => { if (!this.source && !this.stopped) this.#connectSoon(0); });
    this.#connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }

  async #connect() {
    if (this.stopped) return;
    let ticket;
    try {
      ticket = await this.session.ticket();
    } catch (e) {
      if (e.status === 401) { this.handlers.onAuthFailure?.(); return; }
      this.#failed();
      return;
    }
    if (this.stopped) return;
    if (!navigator.onLine) { this.#state('offline'); return; } // went offline while the ticket was on its way
    const params = new URLSearchParams();
    this.channels.forEach(c => params.append('channel', c));
    params.set('events', 'message');
    params.set('ticket', ticket);
    if (this.lastEventId !== null) params.set('lastEventId', this.lastEventId);
    const source = new EventSource(`${STREAM}?${params}`);
    // Two connects can overlap (the network came back while a retry was fetching its ticket): keep the newest.
    this.source?.close();
    this.source = source;
    source.onmessage = (m) => {
      if (source !== this.source) return;
      const id = m.lastEventId ? Number(m.lastEventId) : null;
      const json = JSON.parse(m.data);
      if (json.type === 'connected') {
        this.failures = 0;
        if (this.lastEventId === null && id !== null) this.lastEventId = id;
        this.#state('live', json.node);
        return;
      }
      if (json.type === 'reset') {
        // The log no longer reaches back to our position: reload the state, continue from the head.
        this.lastEventId = id;
        this.handlers.onReset?.();
        return;
      }
      const numbered = json.id !== undefined && id !== null;
      if (numbered) {
        if (this.lastEventId !== null && id <= this.lastEventId) return; // never applied twice
        this.lastEventId = id;
      }
      this.handlers.onEvent(json, numbered ? id : null);
    };
    source.onerror = () => {
      if (source !== this.source) return;
      source.close(); // a spent ticket cannot be reused: reconnect with a new one
      this.source = null;
      this.#failed();
    };
  }

  #failed() {
    this.failures++;
    if (!navigator.onLine) {
      this.#state('offline');
      return; // the 'online' event reconnects
    }
    this.#state(this.failures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting');
    // 0.25 s, 0.5 s, 1 s, 2 s, then every 4 s, with jitter so a fleet of consoles does not reconnect in step.
    const delay = Math.min(250 * 2 ** (this.failures - 1), 4000) * (0.75 + Math.random() / 2);
    this.#connectSoon(delay);
  }

  #connectSoon(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.#connect(), delay);
  }

  #state(state, detail) {
    this.handlers.onState?.(state, detail);
  }
}
