import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SseParser} from '../src/sse-parser.js';

function parse(chunks) {
  const out = {frames: [], retries: [], comments: [], positions: []};
  const parser = new SseParser({
    onFrame: f => out.frames.push(f),
    onRetry: ms => out.retries.push(ms),
    onComment: c => out.comments.push(c),
    onPosition: id => out.positions.push(id),
  });
  for (const c of chunks) parser.feed(c);
  return out;
}

const STREAM = '\uFEFFretry: 2000\r\nid: 41\r\ndata: {"type":"connected"}\r\n\r\n'
  + ': heartbeat\n\n'
  + 'id: 42\nevent: order_update\ndata: {"a":1,\ndata: "b":2}\n\n'
  + 'data: no id here\r\r'
  + 'id: 43\n\n'
  + 'id: 4\u00004\ndata: nul id ignored\n\n'
  + 'field-without-colon\ndata\ndata:x\n\n'
  + 'data: unfinished';

function expected() {
  return parse([STREAM]);
}

test('a whole stream is read field by field as the standard says', () => {
  const {frames, retries, comments, positions} = expected();
  assert.deepEqual(retries, [2000]);
  assert.deepEqual(comments, ['heartbeat']);
  assert.deepEqual(positions, ['43']);
  assert.deepEqual(frames, [
    {type: 'message', data: '{"type":"connected"}', lastEventId: '41', hasId: true},
    {type: 'order_update', data: '{"a":1,\n"b":2}', lastEventId: '42', hasId: true},
    {type: 'message', data: 'no id here', lastEventId: '42', hasId: false},
    {type: 'message', data: 'nul id ignored', lastEventId: '43', hasId: false},
    {type: 'message', data: '\nx', lastEventId: '43', hasId: false},
  ]);
});

test('a stream split into two chunks at any position gives the same frames', () => {
  const whole = expected();
  for (let i = 0; i <= STREAM.length; i++) {
    assert.deepEqual(parse([STREAM.slice(0, i), STREAM.slice(i)]), whole, `split at ${i}`);
  }
});

test('a stream fed one character at a time gives the same frames', () => {
  assert.deepEqual(parse([...STREAM]), expected());
});

test('a CR at the end of one chunk and the LF at the start of the next are one line end', () => {
  const {frames} = parse(['data: a\r', '\ndata: b\r', '\n\r', '\n']);
  assert.deepEqual(frames.map(f => f.data), ['a\nb']);
});

test('a frame is not dispatched before its blank line', () => {
  const {frames} = parse(['id: 7\ndata: x\n']);
  assert.equal(frames.length, 0);
});

test('a retry that is not all digits is ignored, and one space after the colon is dropped, not two', () => {
  const {frames, retries} = parse(['retry: 1s\nretry:250\ndata:  two spaces\n\n']);
  assert.deepEqual(retries, [250]);
  assert.equal(frames[0].data, ' two spaces');
});
