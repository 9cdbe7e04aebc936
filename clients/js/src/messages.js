// What a handler receives, whichever way the frame came (a named or an unnamed SSE frame, EventSource, a poll).

/**
 * @typedef {object} SwitchboardMessage
 * @property {number | null} id  the event's number in the log; null for live frames (GPS positions) that have none
 * @property {string} type       the payload's own `type` when it has one, else the SSE event name, else "message"
 * @property {any} data          the frame's JSON, parsed (the text when it is not JSON)
 */

/** Frames the client handles itself rather than passing on as events. */
export const CONTROL_TYPES = new Set(['connected', 'reset', 'access_ended']);

/**
 * The same event gets the same type whether it came named (`event: order_update`) or not: the type inside the
 * payload wins, so `?events=named|message|both` and EventSource or fetch make no difference to handlers.
 * @returns {SwitchboardMessage}
 */
export function toMessage(frame) {
  let data = frame.data;
  try {
    data = JSON.parse(frame.data);
  } catch {
    // not JSON: the text itself
  }
  const inner = data !== null && typeof data === 'object' && typeof data.type === 'string' ? data.type : null;
  const type = inner ?? frame.type ?? 'message';
  const id = frame.hasId && /^[0-9]+$/.test(frame.lastEventId) ? Number(frame.lastEventId) : null;
  return {id, type, data};
}

/** An event of a poll answer (the generic stream's JSON) as a message. */
export function polledMessage(event) {
  return {id: event.id, type: event.type, data: event};
}
