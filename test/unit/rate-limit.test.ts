// The relay's rate bound: a burst of twice the rate passes, the next request is refused at once
// with 429 and Retry-After, and tokens come back with time (a clock the test moves).
import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { limitRate } from '../../src/http/rate-limit.js';

it('lets a burst through, refuses the rest at once, and refills with time', async () => {
  let now = 0;
  const app = new Hono();
  app.post(
    '/x',
    limitRate(2, 4, 'things', () => now),
    (c) => c.text('ok'),
  );
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await app.request('/x', { method: 'POST' })).status);
  expect(statuses).toEqual([200, 200, 200, 200, 429]);
  const refused = await app.request('/x', { method: 'POST' });
  expect(refused.headers.get('retry-after')).toBe('1');
  expect((await refused.json()).error).toBe('too many things (at most 2 a second); retry in 1 s');
  now += 500; // one token back at 2 a second
  expect((await app.request('/x', { method: 'POST' })).status).toBe(200);
  expect((await app.request('/x', { method: 'POST' })).status).toBe(429);
});
