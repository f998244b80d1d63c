import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTarget, parseTargets } from '../../src/network/targets.js';
import { MAX_CONCURRENT_CHECKS } from '../../src/routes/network.js';
import { createUnitHarness, serviceApp } from '../support/unit-deps.js';

// Real sockets on loopback: an HTTP server that answers, one that fails, a TCP listener that
// never answers the HTTP request (for the timeout), and a port with nothing listening.
let okServer: Server;
let lastAuthorization: string | undefined;
let failServer: Server;
let silent: ReturnType<typeof createTcpServer>;
let closedPort: number;
const portOf = (s: { address(): unknown }) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  okServer = createServer((req, res) => {
    lastAuthorization = req.headers.authorization;
    res.end('ok');
  });
  failServer = createServer((_req, res) => {
    res.statusCode = 503;
    res.end();
  });
  silent = createTcpServer(() => {});
  const probe = createTcpServer();
  await Promise.all(
    [okServer, failServer, silent, probe].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))),
  );
  closedPort = portOf(probe);
  await new Promise((r) => probe.close(r));
});

afterAll(() => {
  okServer.close();
  failServer.close();
  silent.close();
});

describe('targets', () => {
  it('parses named and unnamed tcp and http targets', () => {
    expect(parseTargets('db=tcp://127.0.0.1:5432, http://example.test/x', 'T')).toEqual([
      { name: 'db', kind: 'tcp', url: 'tcp://127.0.0.1:5432', host: '127.0.0.1', port: 5432 },
      { name: 'example.test:80', kind: 'http', url: 'http://example.test/x', host: 'example.test', port: 80 },
    ]);
  });

  it.each([
    ['ftp://x:21', /tcp:\/\/, http:\/\/ or https:\/\//],
    ['tcp://host', /needs a port/],
    ['not a url', /not a URL/],
    ['bad name!=tcp://h:1', /target name/],
  ])('rejects %s with a clear message', (spec, message) => {
    expect(() => parseTarget(spec, 'NETWORK_CHECK_TARGETS')).toThrow(message);
  });

  it('rejects duplicate names and empty lists', () => {
    expect(() => parseTargets('a=tcp://h:1,a=tcp://h:2', 'T')).toThrow(/twice/);
    expect(() => parseTargets(' , ', 'T')).toThrow(/no target/);
  });
});

describe('GET /network-check', () => {
  it('reports each destination up or down with its reason, and records metrics', async () => {
    const targets = parseTargets(
      [
        `web=http://127.0.0.1:${portOf(okServer)}/`,
        `broken=http://127.0.0.1:${portOf(failServer)}/`,
        `open=tcp://127.0.0.1:${portOf(okServer)}`,
        `refused=tcp://127.0.0.1:${closedPort}`,
        `hang=http://127.0.0.1:${portOf(silent)}/`,
        'nowhere=tcp://no-such-host.invalid:80',
      ].join(','),
      'T',
    );
    const h = createUnitHarness({ config: { port: 0, networkTargets: targets, networkTimeoutMs: 300 } });
    const started = performance.now();
    const res = await serviceApp(h.deps).request('/network-check');
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    const body = await res.json();
    const byName = Object.fromEntries(body.targets.map((t: { name: string }) => [t.name, t]));
    expect(body.up).toBe(false);
    expect(byName.web).toMatchObject({ up: true, status: 200 });
    expect(byName.broken).toMatchObject({ up: false, status: 503, reason: 'HTTP 503' });
    expect(byName.open).toMatchObject({ up: true });
    expect(byName.refused).toMatchObject({ up: false, reason: 'ECONNREFUSED' });
    expect(byName.hang).toMatchObject({ up: false, reason: 'timeout' });
    expect(byName.nowhere.up).toBe(false);
    // NXDOMAIN, no resolver (EAI_AGAIN) or a silent one (timeout): down in every case.
    expect(byName.nowhere.reason).toMatch(/^(ENOTFOUND|EAI_AGAIN|timeout)$/);
    // Probes run in parallel, each bounded by the 300 ms timeout.
    expect(elapsed).toBeLessThan(2_000);

    const up = await h.metric('app.network.probe.up');
    const upByTarget = Object.fromEntries(
      (up?.dataPoints ?? []).map((p) => [p.attributes['app.network.probe.target'], p.value]),
    );
    expect(upByTarget).toMatchObject({ web: 1, broken: 0, open: 1, refused: 0, hang: 0, nowhere: 0 });
    const duration = await h.metric('app.network.probe.duration');
    expect(duration?.dataPoints).toHaveLength(6);
  });

  it('shows each destination as scheme://host:port, never its path, query or credentials', async () => {
    const port = portOf(okServer);
    const targets = parseTargets(
      `web=http://user:S3cret@127.0.0.1:${port}/health?token=T0ken-abc,v6=tcp://[::1]:${closedPort}`,
      'T',
    );
    const h = createUnitHarness({ config: { port: 0, networkTargets: targets, networkTimeoutMs: 300 } });
    const res = await serviceApp(h.deps).request('/network-check');
    const text = await res.text();
    expect(text).not.toMatch(/S3cret|T0ken|user|health/);
    const byName = Object.fromEntries(JSON.parse(text).targets.map((t: { name: string }) => [t.name, t]));
    expect(byName.web).toMatchObject({ up: true, endpoint: `http://127.0.0.1:${port}` });
    // The credentials still reach the destination, as a Basic Authorization header.
    expect(lastAuthorization).toBe(`Basic ${Buffer.from('user:S3cret').toString('base64')}`);
    expect(byName.v6.endpoint).toBe(`tcp://[::1]:${closedPort}`);
  });

  it(`runs at most ${MAX_CONCURRENT_CHECKS} checks at once: past it, 429 with Retry-After, no probe made`, async () => {
    const targets = parseTargets(`hang=http://127.0.0.1:${portOf(silent)}/`, 'T');
    const h = createUnitHarness({ config: { port: 0, networkTargets: targets, networkTimeoutMs: 1_000 } });
    const app = serviceApp(h.deps);
    const answers = await Promise.all(
      Array.from({ length: MAX_CONCURRENT_CHECKS + 3 }, () => app.request('/network-check')),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(MAX_CONCURRENT_CHECKS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    const refused = answers.find((r) => r.status === 429);
    expect(refused?.headers.get('retry-after')).toBe('1');
    // Each admitted check probed once; the refused ones none.
    const duration = await h.metric('app.network.probe.duration');
    expect(duration?.dataPoints[0]?.value).toMatchObject({ count: MAX_CONCURRENT_CHECKS });
  });
});
