// A scripted server for the client's unit tests: each request to a stream or the poll endpoint is answered by the
// next handler the test queued, and recorded with its headers.

export class FakeServer {
  constructor() {
    this.requests = [];
    this.handlers = [];
    this.fetch = this.fetch.bind(this);
  }

  /** Queues the answer to the next request: (request) => Response. */
  next(handler) {
    this.handlers.push(handler);
    return this;
  }

  async fetch(url, init = {}) {
    const request = {url: new URL(url, 'http://sb.test'), headers: init.headers ?? {}, signal: init.signal,
      method: init.method ?? 'GET'};
    this.requests.push(request);
    const handler = this.handlers.shift();
    if (!handler) {
      // Nothing scripted: hang until aborted, as a server that accepted and said nothing.
      return hang(init.signal);
    }
    return handler(request);
  }
}

function hang(signal) {
  return new Promise((_, reject) => {
    signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
}

/** A streaming response: push(text) sends a chunk, end() ends it; the client's abort errors it. */
export function stream(request) {
  let controller;
  const body = new ReadableStream({start: c => { controller = c; }});
  request.signal?.addEventListener('abort', () => {
    try {
      controller.error(new DOMException('aborted', 'AbortError'));
    } catch {
      // already closed
    }
  });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, {status: 200, headers: {'Content-Type': 'text/event-stream'}}),
    push: text => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

export function json(status, value) {
  return new Response(JSON.stringify(value), {status, headers: {'Content-Type': 'application/json'}});
}

export function frame(id, data, event) {
  return `${id === null ? '' : `id: ${id}\n`}${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

export function until(predicate, ms = 2000) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const check = () => {
      if (predicate()) resolve();
      else if (Date.now() - start > ms) reject(new Error('timed out waiting'));
      else setTimeout(check, 5);
    };
    check();
  });
}
