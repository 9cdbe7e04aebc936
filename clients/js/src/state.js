// The one connection state that a page's "Live / Reconnecting / Offline (polling)" indicator shows.

/** @enum {string} */
export const ConnectionState = Object.freeze({
  /** The first connection is being opened. */
  CONNECTING: 'connecting',
  /** A stream is open and its first frame has arrived: events come as they happen. */
  LIVE: 'live',
  /** The stream broke; the client waits its backoff and opens it again. Nothing is lost meanwhile. */
  RECONNECTING: 'reconnecting',
  /** Streaming kept failing; events come by long-polling, and streaming is tried again now and then. */
  POLLING: 'polling',
  /** The server refused access (401 after a token refresh, 403, 400): the client stopped. */
  FAILED: 'failed',
  /** `close()` was called. */
  CLOSED: 'closed',
});
