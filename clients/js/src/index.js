// @switchboard/client: live events from a Switchboard cluster, resumed exactly across reconnects.

import {SwitchboardClient} from './client.js';

export {SwitchboardClient} from './client.js';
export {ConnectionState} from './state.js';
export {SseParser} from './sse-parser.js';
export {Backoff} from './backoff.js';
export {HttpError, tokenExpiry} from './credentials.js';

/** Opens a subscription and starts it; see ClientOptions in index.d.ts. */
export function connect(options) {
  return new SwitchboardClient(options);
}
