// The client: one subscription kept alive across node deaths, token expiry and proxies that buffer streams, with
// every event handed over once, in order. Resume is exact because the server numbers events in one global
// sequence: the client keeps the last number, sends it as Last-Event-ID on every reconnect, and drops any
// number it has already seen (a `both` stream's second frame, a replay that overlaps a poll).

import {Backoff} from './backoff.js';
import {Credentials, HttpError} from './credentials.js';
import {readEventSource} from './event-source-stream.js';
import {fetchStreamingAvailable, readFetchStream} from './fetch-stream.js';
import {CONTROL_TYPES, polledMessage, toMessage} from './messages.js';
import {pollOnce} from './poller.js';
import {ResumePoint} from './resume-point.js';
import {ConnectionState} from './state.js';
import {Watchdog} from './watchdog.js';

const GENERIC_STREAM = '/api/v1/realtime/stream';

export class SwitchboardClient {
  /** @param {import('./index.js').ClientOptions} options */
  constructor(options) {
    if (!options || (!options.channels?.length && !options.path)) {
      throw new TypeError('give channels (the generic stream) or the path of a stream');
    }
    this.baseUrl = (options.url ?? '').replace(/\/+$/, '');
    this.channels = options.channels ?? [];
    this.path = options.path ?? GENERIC_STREAM;
    this.query = options.query ?? {};
    this.fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.EventSource = options.EventSource ?? globalThis.EventSource;
    this.transport = options.transport ?? 'auto';
    this.credentials = new Credentials({...options, useTicket: options.useTicket ?? this.transport === 'eventsource'});
    this.backoff = new Backoff(options.backoff);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 45_000;
    this.fallbackAfterFailures = options.fallbackAfterFailures ?? 3;
    this.streamRetryIntervalMs = options.streamRetryIntervalMs ?? 60_000;
    this.pollTimeoutSeconds = options.pollTimeoutSeconds ?? 25;
    this.position = new ResumePoint({lastEventId: options.lastEventId, storage: options.storage,
      storageKey: options.storageKey ?? `switchboard:${this.path}:${[...this.channels].sort().join(',')}`});
    this.listeners = new Map();
    this.state = ConnectionState.CONNECTING;
    this.closed = false;
    this.forceRefresh = false;
    this.polling = this.transport === 'polling';
    this.current = null;
    this.wake = null;
    this.running = null;
    this.refusedOnce = false;
    if (options.onEvent) this.on('*', options.onEvent);
    if (options.onReset) this.on('reset', options.onReset);
    if (options.onStateChange) this.on('state', options.onStateChange);
    if (options.onError) this.on('error', options.onError);
    if (options.start !== false) this.start();
  }

  /** The number of the last event handed over: where the next connection resumes. */
  get lastEventId() {
    return this.position.id;
  }

  /**
   * Listens to one event type ("order.created", "order_update", ...), "*" for every event, or "connected",
   * "reset", "state", "error". Returns the function that stops listening.
   */
  on(type, handler) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(handler);
    return () => this.listeners.get(type)?.delete(handler);
  }

  start() {
    if (!this.running) {
      this.running = this.run();
    }
    return this;
  }

  close() {
    this.closed = true;
    this.current?.abort();
    this.wake?.();
    this.setState(ConnectionState.CLOSED);
  }

  /** @private */
  async run() {
    let failures = 0;
    while (!this.closed) {
      const outcome = this.polling ? await this.pollUntilAStreamWorks() : await this.streamOnce();
      if (this.closed) return;
      if (outcome.fatal) {
        this.fail(outcome.fatal);
        return;
      }
      if (outcome.refresh) {
        // A 401, or the token ran out under a working stream: straight back with a new one.
        this.forceRefresh = true;
        if (outcome.live) failures = 0;
        continue;
      }
      failures = outcome.flowed ? 0 : failures + 1;
      if (!outcome.flowed && failures >= this.fallbackAfterFailures && this.canPoll()) {
        this.polling = true;
        continue;
      }
      this.setState(ConnectionState.RECONNECTING);
      await this.sleep(this.backoff.next());
    }
  }

  /**
   * One stream, from opening to its end. "live" once its first frame came within the connect timeout; "flowed"
   * once anything came after it (an event, a heartbeat: the server sends one a second after the first frames), also
   * within the connect timeout. A proxy that buffers streams lets the first frame through with the response's head
   * and holds the rest back: such a stream is ended by the watchdog without having flowed, and counts as a failure,
   * which is what sends the client to polling.
   * @private
   */
  async streamOnce() {
    const controller = new AbortController();
    this.current = controller;
    const outcome = {live: false, flowed: false, refresh: false};
    const useEventSource = this.useEventSource();
    const watchdog = new Watchdog(() => controller.abort());
    watchdog.arm(this.connectTimeoutMs);
    const progressed = () => {
      if (!outcome.live) {
        outcome.live = true;
        this.refusedOnce = false;
        this.setState(ConnectionState.LIVE);
      } else if (!outcome.flowed) {
        outcome.flowed = true;
        this.backoff.succeeded();
      }
      // EventSource hides the heartbeat comments: only its own error tells that it died.
      if (useEventSource) watchdog.stop();
      else watchdog.arm(outcome.flowed ? this.heartbeatTimeoutMs : this.connectTimeoutMs);
    };
    const parser = {
      onFrame: frame => {
        progressed();
        if (this.handle(toMessage(frame)) === 'access_ended') {
          outcome.refresh = true;
          controller.abort();
        }
      },
      onPosition: id => {
        progressed();
        this.position.advance(Number(id));
      },
      onComment: () => {
        if (outcome.live) progressed();
      },
      onRetry: ms => this.backoff.honour(ms),
    };
    try {
      const auth = await this.credentials.forRequest(this.baseUrl, this.fetch,
          {forceRefresh: this.takeForceRefresh(), stream: true});
      const url = this.streamUrl(auth.query, useEventSource);
      if (useEventSource) {
        await readEventSource({url, EventSourceImpl: this.EventSource, withCredentials: this.credentials.withCredentials,
          signal: controller.signal, parser});
      } else {
        await readFetchStream({url, headers: this.resumeHeaders(auth.headers), credentials: auth.credentials,
          signal: controller.signal, fetchImpl: this.fetch, parser});
      }
    } catch (err) {
      const refused = this.refusal(err);
      if (refused) return refused;
      if (!controller.signal.aborted) this.emit('error', err);
    } finally {
      watchdog.stop();
      this.current = null;
    }
    return outcome;
  }

  /**
   * Long-polls until it is time to try streaming again, then tries it; returns the outcome of the first stream
   * that went live (the client streams from there on), or of a refusal.
   * @private
   */
  async pollUntilAStreamWorks() {
    this.setState(ConnectionState.POLLING);
    let tryStreamAt = Date.now() + this.streamRetryIntervalMs;
    while (!this.closed) {
      const controller = new AbortController();
      this.current = controller;
      try {
        const auth = await this.credentials.forRequest(this.baseUrl, this.fetch, {forceRefresh: this.takeForceRefresh()});
        const answer = await pollOnce({baseUrl: this.baseUrl, channels: this.channels, lastEventId: this.lastEventId,
          timeoutSeconds: this.pollTimeoutSeconds, auth, fetchImpl: this.fetch, signal: controller.signal});
        this.backoff.succeeded();
        this.refusedOnce = false;
        this.takePoll(answer);
      } catch (err) {
        const refused = this.refusal(err);
        if (refused?.fatal) return refused;
        if (refused?.refresh) {
          this.forceRefresh = true;
          continue;
        }
        if (this.closed) break;
        this.emit('error', err);
        await this.sleep(this.backoff.next());
      } finally {
        this.current = null;
      }
      if (this.transport !== 'polling' && !this.closed && Date.now() >= tryStreamAt) {
        // Polling stops while the stream is tried, so the two never race over the same ids.
        const outcome = await this.streamOnce();
        if (outcome.flowed || outcome.fatal) {
          this.polling = false;
          return outcome;
        }
        this.setState(ConnectionState.POLLING);
        tryStreamAt = Date.now() + this.streamRetryIntervalMs;
      }
    }
    return {live: false};
  }

  /** @private What a refused request means: ask for a new token once, or stop. */
  refusal(err) {
    if (!(err instanceof HttpError)) return null;
    if (err.status === 401 && this.credentials.refreshable && !this.refusedOnce) {
      this.refusedOnce = true;
      return {live: false, refresh: true};
    }
    if (err.status === 401 || err.permanent) return {fatal: err};
    return null;
  }

  /** @private Hands a message over once; returns its control type when it was one. */
  handle(message) {
    if (CONTROL_TYPES.has(message.type)) {
      if (message.type === 'reset') {
        // The log no longer holds what was asked for: the page reloads its state, then live events follow.
        this.position.set(message.id ?? message.data?.lastEventId ?? null);
        this.emit('reset', message.data);
      } else if (message.type === 'connected') {
        if (message.id !== null) this.position.advance(message.id);
        this.emit('connected', message.data);
      }
      return message.type;
    }
    if (message.id !== null && !this.position.accept(message.id)) return null; // seen already
    this.emit(message.type, message);
    this.emit('*', message);
    return null;
  }

  /** @private */
  takePoll(answer) {
    if (answer.reset) {
      this.position.set(answer.reset.lastEventId);
      this.emit('reset', answer.reset);
    }
    for (const event of answer.events ?? []) {
      this.handle(polledMessage(event));
    }
    if (typeof answer.lastEventId === 'number') this.position.advance(answer.lastEventId);
  }

  /** @private */
  streamUrl(authQuery, useEventSource) {
    const params = new URLSearchParams();
    for (const c of this.channels) params.append('channel', c);
    for (const [k, v] of Object.entries({...this.query, ...authQuery})) params.set(k, String(v));
    // EventSource cannot send Last-Event-ID on its first request: the query carries it.
    if (useEventSource && this.lastEventId !== null) params.set('lastEventId', String(this.lastEventId));
    const query = params.toString();
    return `${this.baseUrl}${this.path}${query ? `?${query}` : ''}`;
  }

  /** @private */
  resumeHeaders(headers) {
    return this.lastEventId === null ? headers : {...headers, 'Last-Event-ID': String(this.lastEventId)};
  }

  /** @private */
  useEventSource() {
    if (this.transport === 'eventsource') return true;
    if (this.transport === 'fetch') return false;
    return !fetchStreamingAvailable(this.fetch) && typeof this.EventSource === 'function';
  }

  /** @private Polling reads the generic log by channel: a family path without channels cannot fall back. */
  canPoll() {
    return this.transport !== 'fetch' && this.transport !== 'eventsource' && this.channels.length > 0;
  }

  /** @private */
  takeForceRefresh() {
    const force = this.forceRefresh;
    this.forceRefresh = false;
    return force;
  }

  /** @private */
  fail(err) {
    this.emit('error', err);
    this.closed = true;
    this.setState(ConnectionState.FAILED);
  }

  /** @private */
  setState(state) {
    if (this.state === state) return;
    const previous = this.state;
    this.state = state;
    this.emit('state', {state, previous});
  }

  /** @private */
  emit(type, value) {
    for (const handler of this.listeners.get(type) ?? []) {
      try {
        handler(value);
      } catch (err) {
        // one page handler's bug must not stop the stream for the others
        if (type !== 'error') this.emit('error', err);
      }
    }
  }

  /** @private A wait that close() cuts short. */
  sleep(ms) {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
