// Reconnect delays: exponential backoff with full jitter (a uniform draw between 0 and the exponential cap), so
// that the clients of a node that died do not all come back in the same millisecond. The server's `retry:`
// raises the base: a draining node asks for 250 ms, a busy one may ask for more.

export class Backoff {
  /** @param {{initialMs?: number, maxMs?: number, random?: () => number}} options */
  constructor({initialMs = 1000, maxMs = 30000, random = Math.random} = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
    this.attempt = 0;
    this.serverRetryMs = null;
  }

  /** The server's `retry:` value, in ms. */
  honour(retryMs) {
    this.serverRetryMs = retryMs;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next() {
    const base = this.serverRetryMs ?? this.initialMs;
    const cap = Math.min(this.maxMs, base * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.floor(this.random() * cap);
  }

  /** A connection worked: the next failure starts from the base again. */
  succeeded() {
    this.attempt = 0;
  }
}
