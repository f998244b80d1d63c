// Limits a demanding client runs into: an oversized body gets 413 JSON where a route reads one; oversized headers and
// unknown methods, refused by Node's HTTP parser, still get JSON errors. (Floods of slow
// requests are in floods.test.ts.)
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_ENV, type ServiceProcess, startService } from '../../support/service.js';
import { rawRequest } from '../support/raw-request.js';

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({ ...DATABASE_ENV, OTEL_SDK_DISABLED: 'true' });
});
afterAll(async () => {
  await service?.stop();
});

describe('request limits', () => {
  it('refuses a body over 64 KiB with 413 JSON where a route reads one', async () => {
    const res = await rawRequest(service.url, {
      method: 'POST',
      path: '/ui/v1/traces',
      body: 'x'.repeat(100 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toBe('request body over 65536 bytes');
  });

  it('refuses headers over 16 KiB with 431 JSON', async () => {
    const res = await rawRequest(service.url, { path: '/', headers: { 'x-big': 'y'.repeat(20 * 1024) } });
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body).error).toBe('request headers too large');
  });

  it('answers a method Node does not know with 400 JSON', async () => {
    const res = await rawRequest(service.url, { method: 'FOO', path: '/' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toBe('malformed HTTP request');
  });

  // What Node's parser refuses is answered on the socket by the service itself: a HEAD request
  // must get no body there either, or the client reads the body as the next answer.
  it.each([
    ['headers over 16 KiB', `HEAD / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'y'.repeat(20 * 1024)}\r\n\r\n`, 431],
    ['a path over 16 KiB', `HEAD /${'p'.repeat(20 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 414],
    ['a malformed header line', 'HEAD / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n', 400],
  ])('answers a HEAD with %s with its status and no body', async (_label, text, status) => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(service.port, '127.0.0.1', () => socket.end(text));
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/content-length: 0/i);
    expect(body).toBe('');
  });

  it('keeps serving after all of that', async () => {
    expect((await fetch(`${service.url}/`)).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
  });
});
