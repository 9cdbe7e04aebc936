import {test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import TestRenderer from 'react-test-renderer';
import {useSwitchboard} from '../src/react.js';
import {FakeServer, frame, stream, until} from './fake-server.js';

globalThis.IS_REACT_ACT_ENVIRONMENT = true;
const {act} = TestRenderer;

test('useSwitchboard shows the state and the last event, and closes its subscription on unmount', async () => {
  const server = new FakeServer();
  let s;
  server.next(r => (s = stream(r)).response);
  const seen = [];
  const shown = [];
  function Orders() {
    const {state, lastEvent} = useSwitchboard({url: 'http://sb.test', channels: ['tenant:t1:orders'],
      fetch: server.fetch, onEvent: m => seen.push(m.id)});
    shown.push([state, lastEvent?.id ?? null]);
    return React.createElement('span', null, state);
  }
  let renderer;
  await act(async () => { renderer = TestRenderer.create(React.createElement(Orders)); });
  await until(() => s);
  await act(async () => {
    s.push(frame(1, {type: 'connected'}) + frame(2, {type: 'order.created'}));
    await until(() => seen.length === 1);
  });
  assert.equal(renderer.toJSON().children[0], 'live');
  assert.deepEqual(shown.at(-1), ['live', 2]);
  assert.deepEqual(seen, [2]);
  const signal = server.requests[0].signal;
  await act(async () => renderer.unmount());
  assert.ok(signal.aborted, 'the stream is closed with the component');
});
