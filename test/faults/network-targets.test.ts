// /network-check targets that refuse, time out or do not resolve. Run as the
// service runs: each dead destination is reported down with its reason within its timeout, and
// the route itself answers.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REFUSING_PORT, type ServiceProcess, startService } from '../../support/service.js';

const TIMEOUT_MS = 500;
let service: ServiceProcess;
let silent: Server;

beforeAll(async () => {
  silent = createServer(() => {}); // accepts, never answers an HTTP request
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  service = await startService({
    OTEL_SDK_DISABLED: 'true',
    NETWORK_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
    NETWORK_CHECK_TARGETS: [
      // Port 0 can never be connected to: refused at once, never a hang.
      `refuses=tcp://127.0.0.1:${REFUSING_PORT}`,
      `hangs=http://127.0.0.1:${(silent.address() as { port: number }).port}/`,
      'unresolvable=tcp://no-such-host.invalid:80',
    ].join(','),
  });
});

afterAll(async () => {
  await service?.stop();
  silent.close();
});

it('reports every dead destination with its reason, within the timeout', async () => {
  const started = Date.now();
  const res = await fetch(`${service.url}/network-check`);
  const elapsed = Date.now() - started;
  const body = await res.json();
  const byName = Object.fromEntries(body.targets.map((t: { name: string }) => [t.name, t]));
  console.log(JSON.stringify({ network_check_ms: elapsed, targets: body.targets }));
  expect(res.status).toBe(200);
  expect(byName.refuses).toMatchObject({ up: false, reason: 'ECONNREFUSED' });
  expect(byName.hangs).toMatchObject({ up: false, reason: 'timeout' });
  expect(byName.hangs.latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
  expect(byName.unresolvable.up).toBe(false);
  // NXDOMAIN when a resolver answers, EAI_AGAIN when none is configured, a timeout when one is
  // configured but silent: down in every case, and within the timeout.
  expect(byName.unresolvable.reason).toMatch(/^(ENOTFOUND|EAI_AGAIN|timeout)$/);
  // Speed-independent bounds. A refusal comes back before the probe that hangs gives up; and
  // no probe outlives its timeout by more than a whole second timeout (a missing timeout would
  // hang for the OS's connect timeout, minutes, or forever on the silent server).
  expect(byName.refuses.latency_ms).toBeLessThan(byName.hangs.latency_ms);
  for (const target of body.targets) expect(target.latency_ms).toBeLessThan(2 * TIMEOUT_MS);
  expect(body.up).toBe(false);
});
