// Baseline: the same hello route on Hono and @hono/node-server, with no telemetry at all.
import { serve } from '@hono/node-server';
import { bareApp } from './bare-app.js';

serve({ fetch: bareApp().fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
// Exit normally on SIGTERM, so that `node --cpu-prof` (BENCH_PROFILE=1 npm run bench:ab) writes its profile.
process.on('SIGTERM', () => process.exit(0));
