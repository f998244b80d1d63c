// npm run bench:scenario -- flood: the service as npm start runs it (every signal on, exporting to
// a counting sink, the embedded database unless DATABASE_URL is set) under a pipelined flood
// (support/pipelined-flood.ts): /healthz's worst and median latency and the server's resident
// memory, before and at peak. FLOOD_CONNECTIONS, FLOOD_REQUESTS (per connection), FLOOD_SECONDS and
// FLOOD_PATH change it.
import { once } from 'node:events';
import { wholeNumber } from '../support/env.js';
import { pipelinedFlood } from '../support/pipelined-flood.js';
import { waitUp } from '../support/poll.js';
import { startService } from '../support/service.js';
import { CountingSink } from '../support/sink.js';

const connections = wholeNumber('FLOOD_CONNECTIONS', 100);
const requestsEach = wholeNumber('FLOOD_REQUESTS', 20_000);
const durationMs = wholeNumber('FLOOD_SECONDS', 10) * 1000;
const path = process.env.FLOOD_PATH ?? '/';

const sink = new CountingSink();
const { child, url } = await startService({ OTEL_EXPORTER_OTLP_ENDPOINT: await sink.start() });
try {
  await waitUp(`${url}/readyz`, child);
  const result = await pipelinedFlood({ url, pid: child.pid as number, connections, requestsEach, path, durationMs });
  const answered = result.answersEach.reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({
      node: process.version,
      flood: { connections, requestsEach, path, seconds: durationMs / 1000 },
      answered,
      closedByServer: result.closedByServer,
      healthz: result.healthz,
      rssMiB: result.rss,
    }),
  );
} finally {
  child.kill('SIGKILL');
  await once(child, 'exit');
  await sink.stop();
}
