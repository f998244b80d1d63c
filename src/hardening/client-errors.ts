// Requests refused before any route sees them, answered in the service's own JSON error shape:
// - what Node's HTTP parser rejects (an unknown method, headers over SERVER_LIMITS.maxHeaderSize,
//   a malformed request line, a client too slow to send its headers) would get Node's bare text
//   answer: answerClientErrors is the handler Node documents for the 'clientError' event;
// - what the Hono adapter cannot turn into a Request would get an empty 400: answerRequestError;
// - CONNECT would get no answer at all: answerConnect;
// - each other refusal with the status RFC 9110 and 9112 give it: 414 for a request target
//   over the limit, 417 for an Expect other than 100-continue, and 100 Continue sent only when
//   a route starts reading the body, after every check before it.
// What Node parses but no route should see is refused by request-guards.ts.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestError } from '@hono/node-server';
import { errorBody, errorResponse } from '../http/errors.js';
import { answer, answeredHere } from './request-guards.js';

const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'request headers too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request not received in time'],
};

/**
 * An answer written on the socket itself. With `withBody` false, the headers say Content-Length 0
 * and nothing follows: what a HEAD request, or one whose method is not known, must get (a body
 * after a HEAD answer is read as the next answer).
 */
function rawAnswer(status: number, reason: string, message: string, headers = '', withBody = true): string {
  const body = withBody ? JSON.stringify(errorBody(message)) : '';
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`;
}

/** What the start of a request says: its method, and where its request line ends (-1: not in this chunk). */
interface RequestStart {
  method: string;
  lineEnd: number;
}

/** The start of a request, if the chunk begins one. */
function startOf(chunk: Buffer | undefined): RequestStart | undefined {
  const method = chunk ? /^([A-Z]{1,16}) /.exec(chunk.subarray(0, 24).toString('latin1'))?.[1] : undefined;
  return method && chunk ? { method, lineEnd: chunk.indexOf('\r\n') } : undefined;
}

/** The start of each connection's first request. */
const firstRequests = new WeakMap<object, RequestStart>();

/**
 * The longest request line taken before a header overflow is read as a long target (414) rather
 * than long headers (431): RFC 9112 asks servers to take at least 8,000 octets.
 */
const MAX_REQUEST_LINE = 8 * 1024;

/**
 * CONNECT asks the server to become a tunnel, which it never is: 405 JSON with the methods the
 * service does have (`allow`, from its routes), then close.
 */
export function answerConnect(server: Server, allow: string): void {
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(rawAnswer(405, 'Method Not Allowed', 'CONNECT is not supported', `Allow: ${allow}\r\n`));
  });
}

/**
 * Expect: Node answers 100 Continue to every `Expect: 100-continue` at once, and an empty 417
 * to any other expectation. Here 100 Continue is sent only when something starts reading the
 * body, so a request refused by a check before that (origin, type, rate, budget) is answered
 * without its client uploading a byte; any other expectation is a 417 JSON.
 */
export function answerExpectations(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    // An unread body cannot be left on a connection that will be reused.
    res.setHeader('connection', 'close');
    req.once('resume', () => {
      if (!res.headersSent) res.writeContinue();
    });
    server.emit('request', req, res);
  });
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) =>
    answer(res, 417, 'only Expect: 100-continue is supported'),
  );
}

export function answerClientErrors(server: Server): void {
  server.on('connection', (socket: Duplex) => {
    socket.once('data', (chunk: Buffer) => {
      const start = startOf(chunk);
      if (start) firstRequests.set(socket, start);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    // Nothing to answer on a connection that is already gone or half-written.
    if (error.code === 'ECONNRESET' || !socket.writable || answeredHere.has(socket)) {
      socket.destroy();
      return;
    }
    // The failing chunk when it starts the request; else, while nothing has been answered on
    // this connection, its first request. Unknown: no body, which every client can frame.
    const start =
      startOf(error.rawPacket) ??
      ((socket as Duplex & { bytesWritten?: number }).bytesWritten === 0 ? firstRequests.get(socket) : undefined);
    const longTarget =
      error.code === 'HPE_HEADER_OVERFLOW' &&
      start !== undefined &&
      (start.lineEnd === -1 || start.lineEnd > MAX_REQUEST_LINE);
    const [status, reason, message] = longTarget
      ? ([414, 'URI Too Long', 'request target too long'] as const)
      : (ANSWERS[error.code ?? ''] ?? [400, 'Bad Request', 'malformed HTTP request']);
    socket.end(rawAnswer(status, reason, message, '', start !== undefined && start.method !== 'HEAD'));
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
  return errorResponse(status, message);
}
