// The embedded database (PGlite, when DATABASE_URL is unset) has one user, a superuser with no
// password. It must be reachable by the service alone: a Unix socket in a directory only the
// service's user can enter, no TCP port a local process could connect to, and no address of it
// in any answer.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listeningPorts } from '../../support/listening-ports.js';
import { type ServiceProcess, startService, waitReady } from '../../support/service.js';

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({ DATABASE_URL: '', OTEL_SDK_DISABLED: 'true' });
  await waitReady(service);
});

afterAll(async () => {
  await service?.stop();
});

it('listens on no TCP port but the service its own', async () => {
  expect((await fetch(`${service.url}/db-query?duration_ms=1`)).status).toBe(200);
  expect(listeningPorts(service.child.pid as number)).toEqual([service.port]);
});

it('listens on a Unix socket in a directory of mode 0700', () => {
  // /proc/net/unix lists every bound Unix socket with its path.
  const sockets = readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[7])
    .filter((path): path is string => Boolean(path?.includes('otel-monitoring-pglite-')));
  expect(sockets.length).toBeGreaterThan(0);
  for (const socket of sockets) expect(statSync(dirname(socket)).mode & 0o777, socket).toBe(0o700);
});

it('names no database address in /network-check', async () => {
  const body = await (await fetch(`${service.url}/network-check`)).json();
  expect(body.targets.map((t: { name: string }) => t.name)).toEqual(['self']);
});
