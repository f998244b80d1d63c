// What many Hono users reach for: @hono/prometheus (prom-client), metrics only, no traces or logs.
import { serve } from '@hono/node-server';
import { prometheus } from '@hono/prometheus';
import { Hono } from 'hono';

const { printMetrics, registerMetrics } = prometheus();
const app = new Hono();
app.use('*', registerMetrics);
app.get('/metrics', printMetrics);
app.get('/', (c) => c.text('Hello, DevOps Monitoring!'));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
