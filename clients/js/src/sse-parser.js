// The event stream interpretation of the HTML standard (§9.2.6), fed with text as it arrives: a chunk may end
// anywhere, inside a field name, between the CR and the LF of a CRLF, or in the middle of a multi-line `data:`.
// It keeps no more than the current unfinished line and the current event's fields.

/**
 * @typedef {object} SseFrame
 * @property {string} type   the `event:` field, or "message"
 * @property {string} data   the `data:` lines joined with "\n"
 * @property {string} lastEventId  the stream's last event id after this frame (what `Last-Event-ID` resumes from)
 * @property {boolean} hasId whether this frame itself carried an `id:` field
 */

export class SseParser {
  /**
   * @param {{onFrame?: (frame: SseFrame) => void, onRetry?: (ms: number) => void,
   *          onComment?: (text: string) => void, onPosition?: (id: string) => void}} handlers
   *   onPosition: a frame with an `id:` and no `data:` (it moves the resume point without an event)
   */
  constructor(handlers = {}) {
    this.handlers = handlers;
    this.line = '';
    this.afterCr = false;
    this.firstChunk = true;
    this.lastEventId = '';
    this.resetEvent();
  }

  resetEvent() {
    this.data = [];
    this.type = '';
    this.idSeen = false;
  }

  /** Feeds decoded text; frames are dispatched as their blank line arrives. */
  feed(text) {
    if (this.firstChunk && text.length > 0) {
      this.firstChunk = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // one leading BOM is ignored
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* LF */) {
        if (this.afterCr && i === start && this.line === '') {
          // the LF of a CRLF whose CR ended the previous chunk or line
          this.afterCr = false;
          start = i + 1;
          continue;
        }
        this.endLine(this.line + text.slice(start, i));
        start = i + 1;
        this.afterCr = false;
      } else if (c === 13 /* CR */) {
        this.endLine(this.line + text.slice(start, i));
        start = i + 1;
        this.afterCr = true;
        if (i + 1 < text.length && text.charCodeAt(i + 1) === 10) {
          i++;
          start = i + 1;
          this.afterCr = false;
        }
      } else if (this.afterCr) {
        this.afterCr = false;
      }
    }
    this.line += text.slice(start);
  }

  /** @private */
  endLine(line) {
    this.line = '';
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.handlers.onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.type = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) {
          this.lastEventId = value;
          this.idSeen = true;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default: // unknown fields are ignored
    }
  }

  /** @private */
  dispatch() {
    const hasId = this.idSeen;
    if (this.data.length === 0) {
      this.resetEvent();
      if (hasId) this.handlers.onPosition?.(this.lastEventId);
      return;
    }
    const frame = {type: this.type || 'message', data: this.data.join('\n'), lastEventId: this.lastEventId, hasId};
    this.resetEvent();
    this.handlers.onFrame?.(frame);
  }
}
