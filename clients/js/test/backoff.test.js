import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Backoff} from '../src/backoff.js';

test('delays grow exponentially up to the cap, each drawn between zero and its bound', () => {
  const top = new Backoff({initialMs: 100, maxMs: 1000, random: () => 0.999999});
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => top.next()), [99, 199, 399, 799, 999, 999]);
  const bottom = new Backoff({initialMs: 100, maxMs: 1000, random: () => 0});
  assert.equal(bottom.next(), 0);
});

test('the server retry replaces the base, and a success starts again from it', () => {
  const b = new Backoff({initialMs: 1000, maxMs: 30000, random: () => 0.999999});
  b.next();
  b.next();
  b.honour(250);
  b.succeeded();
  assert.equal(b.next(), 249);
  assert.equal(b.next(), 499);
});

test('draws are spread over the whole range (full jitter)', () => {
  const b = new Backoff({initialMs: 1000, maxMs: 1000});
  const draws = Array.from({length: 2000}, () => { b.succeeded(); return b.next(); });
  assert.ok(Math.min(...draws) < 100 && Math.max(...draws) > 900);
});
