// Requests at the edges of HTTP, sent byte for byte over a socket (fetch would not send them):
// each gets the service's JSON error, nothing is written to stderr for them, and a slow body is
// cut by the same bound as slow headers.
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SERVER_LIMITS } from '../../src/http/limits.js';
import { DATABASE_ENV, type ServiceProcess, startService } from '../../support/service.js';

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({ ...DATABASE_ENV, OTEL_SDK_DISABLED: 'true' });
});

afterAll(async () => {
  await service?.stop();
});

/** Writes `text`, then returns all the server sends until it closes, and when it closed. */
function exchange(text: string, keepWriting?: (write: (s: string) => void) => void) {
  const { hostname, port } = new URL(service.url);
  return new Promise<{ answer: string; seconds: number }>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let answer = '';
    const started = performance.now();
    socket.on('connect', () => {
      socket.write(text);
      keepWriting?.((s) => socket.write(s));
    });
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ answer, seconds: (performance.now() - started) / 1000 }));
    setTimeout(() => socket.destroy(), 30_000);
  });
}

const jsonBody = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

it.each([
  ['without Host', 'GET / HTTP/1.1\r\n\r\n', 400, /Host/],
  ['with CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 405, /CONNECT/],
  [
    'with a Transfer-Encoding that is not chunked',
    'POST /log-test HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\n\r\n',
    400,
    /Transfer-Encoding/,
  ],
])('answers a request %s with JSON, and writes nothing to stderr', async (_label, text, status, message) => {
  const before = service.stderr.join('').length;
  const { answer } = await exchange(text);
  expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(answer).toMatch(/content-type: application\/json/i);
  expect(jsonBody(answer).error).toMatch(message);
  // stderr is read as the process writes it: give a stack trace a turn to arrive.
  await fetch(`${service.url}/healthz`);
  expect(service.stderr.join('').slice(before)).toBe('');
});

// No route reads a body: the answer goes out at once, but the socket stays the client's until
// the request ends, so a body that never ends holds it for requestTimeout (Node's default is five
// minutes). SERVER_LIMITS gives a body the bound slow headers get.
it('lets go of a connection whose body dribbles after the same bound as slow headers', async () => {
  expect(SERVER_LIMITS.requestTimeout).toBe(SERVER_LIMITS.headersTimeout);
  let timer: NodeJS.Timeout | undefined;
  const { answer, seconds } = await exchange(
    'GET / HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n',
    (write) => {
      timer = setInterval(() => write('x'), 500); // 1,000 bytes would take 500 s
    },
  );
  clearInterval(timer);
  console.log(JSON.stringify({ slow_body_closed_after_s: Math.round(seconds * 10) / 10 }));
  expect(answer).toMatch(/^HTTP\/1\.1 200/);
  // Not before the bound (a timer cannot fire early), and with room for a busy machine: Node
  // checks its connections once a second (connectionsCheckingInterval), so the cut comes up to a
  // second after the bound, later when the machine is loaded.
  expect(seconds).toBeGreaterThanOrEqual(SERVER_LIMITS.requestTimeout / 1000 - 0.5);
  expect(seconds).toBeLessThan(20);
}, 40_000);
