// What the incident scenarios do to a route, with the flags given by hand (the contract test
// runs them from the real flag file): with no scenario on, no flag is evaluated at all, since an
// evaluation costs more than the rest of the hello route's telemetry; with one on, its effect.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { incidentEffects, SLOW_ROUTE_DELAY_MS } from '../../src/incidents/effects.js';
import type { IncidentFlag } from '../../src/incidents/flags.js';

function appWith(on: IncidentFlag[]) {
  const asked: IncidentFlag[] = [];
  const incidents = {
    anyOn: () => on.length > 0,
    isOn: async (flag: IncidentFlag) => {
      asked.push(flag);
      return on.includes(flag);
    },
  };
  const logged: string[] = [];
  const logger = { error: (message: string) => logged.push(message) };
  const app = new Hono();
  app.get('/', incidentEffects(incidents, logger), (c) => c.text('hello'));
  return { app, asked, logged };
}

describe('incident effects', () => {
  it('evaluates no flag while no scenario is on', async () => {
    const { app, asked } = appWith([]);
    for (let i = 0; i < 20; i++) expect((await app.request('/')).status).toBe(200);
    expect(asked).toEqual([]);
  });

  it('error-burst answers 500 in the JSON error shape', async () => {
    const { app, asked, logged } = appWith(['error-burst']);
    const res = await app.request('/');
    expect(res.status).toBe(500);
    expect(logged).toEqual(['incident scenario error-burst is on: answering 500']);
    expect(await res.json()).toEqual({ error: 'incident scenario error-burst is on' });
    expect(asked.sort()).toEqual(['error-burst', 'slow-route']);
  });

  it('slow-route holds the answer past the latency target, then answers as the route does', async () => {
    const { app } = appWith(['slow-route']);
    const started = performance.now();
    const res = await app.request('/');
    // A timer may fire a millisecond early, never much more.
    expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_ROUTE_DELAY_MS - 5);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
  }, 10_000);
});
