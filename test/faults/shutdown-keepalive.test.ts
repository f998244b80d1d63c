// SIGTERM with clients holding idle keep-alive connections: a request such a client sends at the
// moment the service starts shutting down is answered (with Connection: close), not reset. Each
// connection is made and used once first, so every request below goes out on an idle, kept-alive
// socket, as a browser's or a proxy's would.
import { Agent, request } from 'node:http';
import { expect, it } from 'vitest';
import { DATABASE_ENV, eventually, startService } from '../../support/service.js';

const CLIENTS = 6;

function get(url: string, agent: Agent): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('answers requests sent on idle keep-alive connections as shutdown begins', async () => {
  const service = await startService({ ...DATABASE_ENV, OTEL_SDK_DISABLED: 'true' });
  const agents = Array.from({ length: CLIENTS }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  try {
    for (const agent of agents) expect((await get(`${service.url}/healthz`, agent)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => service.child.once('exit', resolve));
    service.child.kill('SIGTERM');
    // The moment the service says it is shutting down, every client sends on its idle socket.
    await eventually(() => (service.lines.some((l) => l.message === 'shutting down') ? true : undefined), 10_000);
    const answers = await Promise.allSettled(agents.map((agent) => get(`${service.url}/healthz`, agent)));
    const outcomes = answers.map((a) => (a.status === 'fulfilled' ? a.value.status : (a.reason as Error).message));
    expect(outcomes).toEqual(Array(CLIENTS).fill(200));
    // Told to stop reusing the connection, so none is sent another request after this.
    for (const a of answers) if (a.status === 'fulfilled') expect(a.value.connection).toBe('close');
    expect(await exited).toBe(0);
  } finally {
    for (const agent of agents) agent.destroy();
    await service.stop();
  }
}, 30_000);
