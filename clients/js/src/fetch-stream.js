// One SSE stream read with fetch: unlike EventSource it can send an Authorization header, and the parser sees
// the bytes as they come, whatever the chunking. It ends when the server ends the stream, the network fails, or
// the caller aborts (the heartbeat watchdog, close()).

import {SseParser} from './sse-parser.js';
import {HttpError} from './credentials.js';

/** Whether this runtime can read a fetch response as a stream. */
export function fetchStreamingAvailable(fetchImpl) {
  return typeof fetchImpl === 'function' && typeof ReadableStream !== 'undefined'
      && typeof TextDecoder !== 'undefined';
}

/**
 * @param {{url: string, headers: object, credentials: string, signal: AbortSignal, fetchImpl: Function,
 *          parser: object}} o  parser: the SseParser handlers (onFrame, onRetry, onComment, onPosition)
 * @returns {Promise<void>} resolves when the server ended the stream
 */
export async function readFetchStream({url, headers, credentials, signal, fetchImpl, parser}) {
  const res = await fetchImpl(url, {
    headers: {Accept: 'text/event-stream', ...headers},
    credentials,
    cache: 'no-store',
    signal,
  });
  if (!res.ok) {
    throw await HttpError.from(res);
  }
  if (!res.body) {
    throw new Error('this runtime gives no response body stream');
  }
  const sse = new SseParser(parser);
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  // An abort must end the read even where the runtime leaves a pending read() hanging (Node's fetch does, when
  // the abort comes from a frame handler of the very chunk that ended the body).
  const aborted = new Promise((_, reject) => {
    const fail = () => reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, {once: true});
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const {done, value} = await Promise.race([reader.read(), aborted]);
      if (done) {
        sse.feed(decoder.decode());
        return;
      }
      sse.feed(decoder.decode(value, {stream: true}));
    }
  } finally {
    if (signal.aborted) reader.cancel().catch(() => {});
  }
}
