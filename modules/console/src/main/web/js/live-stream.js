// The console's one stream: the tenant's fleet (live positions, conflated, no ids) and its orders, runs and stock
// alerts (durable, numbered), through the project's own client package (clients/js, shipped in the jar under
// vendor/switchboard-client). The package streams over fetch with the token in the Authorization header, resumes
// from the last numbered event on whichever node the balancer picks, drops what it has seen, and falls back to
// long-polling when streams do not get through. What is left here is the page's side: the browser's own
// online/offline signal, and the labels.

import { SwitchboardClient } from '../vendor/switchboard-client/index.js';

export class LiveStream {
  /**
   * onEvent(json, id): every frame after `connected`; id is the sequence number of numbered events, else null.
   * onState(state, detail): 'connecting' | 'live' | 'reconnecting' | 'polling' | 'offline' (detail: the node).
   * onAuthFailure(): the token was refused (expired, revoked): sign in again.
   */
  constructor(session, channels, { onEvent, onState, onAuthFailure, onReset }) {
    this.session = session;
    this.channels = channels;
    this.handlers = { onEvent, onState, onAuthFailure, onReset };
    this.client = null;
    this.resumeFrom = null;
    this.stopped = false;
  }

  /** The last numbered event applied (the end-to-end tests read it). */
  get lastEventId() {
    return this.client ? this.client.lastEventId : this.resumeFrom;
  }

  start() {
    // Without a network the stream cannot be live, whatever an idle socket still pretends: close it and wait
    // for the network to come back, then resume from the last event seen.
    window.addEventListener('offline', () => {
      this.#close();
      this.handlers.onState?.('offline');
    });
    window.addEventListener('online', () => { if (!this.client && !this.stopped) this.#open(); });
    this.handlers.onState?.('connecting');
    this.#open();
  }

  stop() {
    this.stopped = true;
    this.#close();
  }

  #open() {
    const client = new SwitchboardClient({
      channels: this.channels,
      query: { events: 'message' },
      lastEventId: this.resumeFrom ?? undefined,
      getToken: () => this.session.token,
      // 0.25 s up to 4 s, with full jitter, so a fleet of consoles does not reconnect in step.
      backoff: { initialMs: 250, maxMs: 4000 },
      onEvent: (m) => this.handlers.onEvent(m.data, m.id),
      onReset: () => this.handlers.onReset?.(),
      onStateChange: ({ state }) => this.#state(state, client),
      start: false,
    });
    // 'live' is shown with the node that serves the stream, which the connected frame names.
    client.on('connected', (c) => this.handlers.onState?.('live', c.node));
    this.client = client;
    client.start();
  }

  #close() {
    if (this.client) {
      this.resumeFrom = this.client.lastEventId;
      this.client.close();
      this.client = null;
    }
  }

  #state(state, client) {
    if (client !== this.client || state === 'live' || state === 'closed' || state === 'connecting') return;
    if (state === 'failed') {
      this.handlers.onAuthFailure?.();
      return;
    }
    this.handlers.onState?.(state);
  }
}
