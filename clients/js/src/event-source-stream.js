// One stream through the runtime's EventSource, for where fetch cannot stream. EventSource sends no headers, so the
// credentials travel as a single-use ticket (or the cookie), and it would reconnect by itself with the same URL
// (and a spent ticket): the client closes it at the first error and opens a new one, with a new ticket and the
// last id in the query.

/**
 * @param {{url: string, EventSourceImpl: Function, withCredentials: boolean, signal: AbortSignal,
 *          parser: {onFrame: Function}}} o
 * @returns {Promise<void>} resolves when the stream failed or was closed
 */
export function readEventSource({url, EventSourceImpl, withCredentials, signal, parser}) {
  return new Promise(resolve => {
    const source = new EventSourceImpl(url, {withCredentials});
    const end = () => {
      source.close();
      signal.removeEventListener('abort', end);
      resolve();
    };
    signal.addEventListener('abort', end);
    source.onerror = end;
    // EventSource gives every frame the stream's last id, its own or an earlier one: a frame without an id of its
    // own (a live GPS position) is told apart by an id that did not change.
    let previousId = '';
    source.onmessage = e => {
      const hasId = e.lastEventId !== '' && e.lastEventId !== previousId;
      previousId = e.lastEventId;
      parser.onFrame({type: 'message', data: e.data, lastEventId: e.lastEventId, hasId});
    };
  });
}
