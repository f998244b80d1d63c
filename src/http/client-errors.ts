// Requests refused before any route sees them, answered in the service's own JSON error shape:
// - what Node's HTTP parser rejects (an unknown method, headers over SERVER_LIMITS.maxHeaderSize,
//   a malformed request line, a client too slow to send its headers) would get Node's bare text
//   answer: answerClientErrors is the handler Node documents for the 'clientError' event;
// - what the Hono adapter cannot turn into a Request would get an empty 400: answerRequestError.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestError } from '@hono/node-server';

const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'request headers too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request not received in time'],
};

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Nothing to answer on a connection that is already gone or half-written.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, message] = ANSWERS[error.code ?? ''] ?? [400, 'Bad Request', 'malformed HTTP request'];
    const body = JSON.stringify({ error: message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/**
 * For getRequestListener's errorHandler: a request Node parsed but the adapter cannot turn into
 * a web Request (a backslash in the path, an invalid Host header) gets 400 in the JSON shape,
 * where the adapter would answer an empty 400.
 */
export function answerRequestError(error: unknown): Response {
  const [status, message] =
    error instanceof RequestError ? [400, 'malformed request URL or Host header'] : [500, 'internal error'];
  return Response.json({ error: message }, { status });
}
