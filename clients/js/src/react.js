// useSwitchboard: the client as a React hook. React is a peer dependency of this entry point only.

import {useEffect, useRef, useState} from 'react';
import {SwitchboardClient} from './client.js';

/**
 * Subscribes while the component is mounted. Returns the connection state and the last event; `onEvent` sees every
 * event once. The subscription is opened again when `key` (default: the path and channels) changes.
 */
export function useSwitchboard(options, deps) {
  const [state, setState] = useState('connecting');
  const [lastEvent, setLastEvent] = useState(null);
  const handlers = useRef(options);
  handlers.current = options;
  const key = deps ?? [options.url, options.path, ...(options.channels ?? [])];
  useEffect(() => {
    const client = new SwitchboardClient({
      ...handlers.current,
      onEvent: message => {
        setLastEvent(message);
        handlers.current.onEvent?.(message);
      },
      onReset: info => handlers.current.onReset?.(info),
      onStateChange: change => setState(change.state),
      onError: err => handlers.current.onError?.(err),
    });
    return () => client.close();
  }, key); // eslint-disable-line react-hooks/exhaustive-deps
  return {state, lastEvent};
}
