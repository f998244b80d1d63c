// The deadline agent ends an export still open at its deadline, whatever the server drips, and
// leaves a finished one alone; it is used only where the SDK's own agent need not stay.
import { once } from 'node:events';
import { type Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { deadlineAgentFactory, deadlineOptions } from '../../otel/workarounds/export-deadline.js';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/** A server that answers /ok at once and drips a never-ending header on every other path. */
async function dripping(): Promise<string> {
  server = createServer((req, res) => {
    if (req.url === '/ok') return void res.end('ok');
    req.socket.write('HTTP/1.1 200 OK\r\nX-Drip: ');
    const drip = setInterval(() => (req.socket.destroyed ? clearInterval(drip) : req.socket.write('a')), 20);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function get(url: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c) => (body += c))
        .on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

it('ends a request the server keeps dripping at the deadline, and lets a quick one finish', async () => {
  const base = await dripping();
  const agent = await deadlineAgentFactory(300)('http:');
  // The drip resets any idle timeout every 20 ms; only a deadline ends it.
  await expect(get(`${base}/drip`, agent)).rejects.toThrow('export not finished within 300 ms');
  expect(await get(`${base}/ok`, agent)).toBe('ok');
  agent.destroy();
});

it('adds the deadline to OTLP/HTTP over plain http only', () => {
  const keys = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL'];
  const saved = keys.map((key) => [key, process.env[key]] as const);
  try {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://collector:4318';
    expect(deadlineOptions('TRACES')?.httpAgentOptions).toBeTypeOf('function');
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'https://collector:4318/v1/traces';
    expect(deadlineOptions('TRACES')).toBeUndefined(); // the SDK's agent keeps its certificates
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
    expect(deadlineOptions('METRICS')).toBeUndefined();
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});
