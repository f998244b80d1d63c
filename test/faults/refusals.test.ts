// Each refusal with the status the RFCs give it, a JSON error body (none for HEAD) and, where the
// RFC asks for one, an Allow header: the service as npm start runs it, over raw sockets, each
// request beside what a bare node:http server with the same limits answers (printed as a table,
// for the reader: a bare server has no routes, so it cannot know a method is wrong for a path).
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SERVER_LIMITS } from '../../src/http/limits.js';
import { DATABASE_ENV, type ServiceProcess, startService } from '../../support/service.js';
import { exportingTo, OtlpReceiver } from '../support/otlp-receiver.js';

let service: ServiceProcess;
const receiver = new OtlpReceiver();
let bare: Server;
let barePort = 0;
const seen: Array<{ case: string; service: number; bare: number }> = [];

beforeAll(async () => {
  // Exporting, so the relay is on: the Expect cases go through its checks.
  service = await startService({ ...DATABASE_ENV, ...exportingTo(await receiver.start()) });
  bare = createServer(SERVER_LIMITS, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  barePort = (bare.address() as { port: number }).port;
});

afterAll(async () => {
  console.log(JSON.stringify({ refusals: seen }));
  await service?.stop();
  await receiver.stop();
  bare?.close();
});

/** Everything the server writes back to `text` until it closes or `idleMs` pass quietly. */
function exchange(port: number, text: string, idleMs = 600): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    let timer = setTimeout(() => socket.destroy(), idleMs);
    socket.on('data', (chunk) => {
      answer += chunk;
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), idleMs);
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);
const headerOf = (answer: string, name: string) =>
  new RegExp(`\\r\\n${name}: ([^\\r]*)`, 'i').exec(answer.split('\r\n\r\n')[0] ?? '')?.[1];
const bodyOf = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4);

const LONG = 'a'.repeat(20 * 1024);
const H = 'Host: localhost\r\n';

it.each([
  ['a request target over the limit', `GET /${LONG} HTTP/1.1\r\n${H}\r\n`, 414, undefined],
  ['the same, HEAD', `HEAD /${LONG} HTTP/1.1\r\n${H}\r\n`, 414, undefined],
  ['a method the path does not have', `DELETE /db-query HTTP/1.1\r\n${H}\r\n`, 405, 'GET, HEAD, OPTIONS'],
  ['POST to a GET route', `POST /healthz HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`, 405, 'GET, HEAD, OPTIONS'],
  ['GET to a POST route', `GET /ui/v1/traces HTTP/1.1\r\n${H}\r\n`, 405, 'OPTIONS, POST'],
  ['OPTIONS on a path', `OPTIONS /db-query HTTP/1.1\r\n${H}\r\n`, 204, 'GET, HEAD, OPTIONS'],
  ['OPTIONS on no path', `OPTIONS /no-such-path HTTP/1.1\r\n${H}\r\n`, 404, undefined],
  ['two Host headers', `GET / HTTP/1.1\r\n${H}Host: elsewhere.test\r\n\r\n`, 400, undefined],
  ['HTTP/2.0 over HTTP/1 framing', `GET / HTTP/2.0\r\n${H}\r\n`, 400, undefined],
  [
    'a transfer coding it does not implement',
    `POST /ui/v1/traces HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    501,
    undefined,
  ],
  ['CONNECT', 'CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n', 405, 'GET, HEAD, OPTIONS, POST'],
  ['an Expect it does not know', `GET / HTTP/1.1\r\n${H}Expect: something-else\r\n\r\n`, 417, undefined],
])('answers %s with its status, JSON, and Allow where due', async (label, text, status, allow) => {
  const answer = await exchange(service.port, text);
  const bareStatus = statusOf(await exchange(barePort, text));
  seen.push({ case: label, service: statusOf(answer), bare: bareStatus });
  expect(statusOf(answer), answer.slice(0, 200)).toBe(status);
  if (allow !== undefined) expect(headerOf(answer, 'Allow')).toBe(allow);
  const isHead = text.startsWith('HEAD ');
  if (status === 204 || isHead) expect(bodyOf(answer)).toBe('');
  else expect(typeof JSON.parse(bodyOf(answer)).error).toBe('string');
});

it('refuses an Expect: 100-continue upload before asking for its body', async () => {
  const answer = await exchange(
    service.port,
    `POST /ui/v1/traces HTTP/1.1\r\n${H}Origin: https://elsewhere.test\r\nContent-Type: application/json\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n`,
  );
  expect(answer).not.toMatch(/^HTTP\/1\.1 100/);
  expect(statusOf(answer)).toBe(403);
});

it('asks for the body of an Expect: 100-continue upload it takes', async () => {
  const body = JSON.stringify({ resourceSpans: [] });
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(service.port, '127.0.0.1', () =>
      socket.write(
        `POST /ui/v1/traces HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      ),
    );
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
      if (received.startsWith('HTTP/1.1 100 ') && !received.includes('\r\n\r\nHTTP/1.1 ')) socket.write(body);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
  expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
});
