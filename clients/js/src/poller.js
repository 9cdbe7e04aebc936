// One long-poll: the events of the subscription's channels after the last id, answered as soon as there is one
// or after the timeout (GET /api/v1/realtime/poll). The fallback for networks where streams do not get through.

import {HttpError} from './credentials.js';

/**
 * @returns {Promise<{events: object[], lastEventId: number, reset?: object}>}
 */
export async function pollOnce({baseUrl, channels, lastEventId, timeoutSeconds, auth, fetchImpl, signal}) {
  const params = new URLSearchParams();
  for (const c of channels) params.append('channel', c);
  if (lastEventId !== null) params.set('lastEventId', String(lastEventId));
  params.set('timeout', String(timeoutSeconds));
  for (const [k, v] of Object.entries(auth.query)) params.set(k, v);
  const res = await fetchImpl(`${baseUrl}/api/v1/realtime/poll?${params}`, {
    headers: {Accept: 'application/json', ...auth.headers},
    credentials: auth.credentials,
    cache: 'no-store',
    signal,
  });
  if (!res.ok) {
    throw await HttpError.from(res);
  }
  return res.json();
}
