// The bare Hono app every ratio is against: the hello route and nothing else. bare-hono.ts serves
// it over HTTP, in-process.ts drives it directly, so both baselines are the same app.
import { Hono } from 'hono';

export function bareApp(): Hono {
  const app = new Hono();
  app.get('/', (c) => c.text('Hello, DevOps Monitoring!'));
  return app;
}
