// Requests refused before any route sees them, answered in the service's own JSON error shape:
// - what Node's HTTP parser rejects (an unknown method, headers over SERVER_LIMITS.maxHeaderSize,
//   a malformed request line, a client too slow to send its headers) would get Node's bare text
//   answer: answerClientErrors is the handler Node documents for the 'clientError' event;
// - what the Hono adapter cannot turn into a Request would get an empty 400: answerRequestError;
// - what Node parses but no route should see (no Host header, a Transfer-Encoding it cannot
//   frame, CONNECT) would get an empty 400, a stack trace on stderr per request, or no answer at
//   all: guardRequests and answerConnect;
// - a Host the service does not answer for (allowed-hosts.ts): 421 Misdirected Request, the
//   status RFC 9110 gives a request sent to a server that will not answer for its target.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestError } from '@hono/node-server';
import { allowsHost } from './allowed-hosts.js';
import { errorBody, errorResponse } from './errors.js';

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

/** The method a chunk of a request starts with, if it starts a request. */
function methodOf(chunk: Buffer | undefined): string | undefined {
  return chunk ? /^([A-Z]{1,16}) /.exec(chunk.subarray(0, 24).toString('latin1'))?.[1] : undefined;
}

/** The first bytes each connection sent: the start of its first request. */
const firstChunks = new WeakMap<object, Buffer>();

function answer(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify(errorBody(message));
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}

/**
 * In front of the adapter's listener: an HTTP/1.1 request without Host (Node's own check answers
 * an empty 400, so it is off in SERVER_LIMITS and done here), and one whose Transfer-Encoding
 * does not end in chunked, which has no length a server can trust (RFC 9112, 6.3): both 400 JSON.
 * A Host that `allowedHosts` does not name: 421 JSON.
 */
export function guardRequests(listener: RequestListener, allowedHosts: readonly string[]): RequestListener {
  const allowed = allowsHost(allowedHosts);
  return (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host;
    if (req.httpVersion === '1.1' && !host) return answer(res, 400, 'missing Host header');
    if (host && !allowed(host)) {
      return answer(res, 421, 'this service does not answer for that host (ALLOWED_HOSTS)');
    }
    const te = req.headers['transfer-encoding'];
    if (te !== undefined && !/(^|,)\s*chunked\s*$/i.test(te)) {
      // The parser will also fail on the body that follows: answeredHere keeps clientError from
      // writing a second answer on the same connection.
      answeredHere.add(req.socket);
      return answer(res, 400, 'unsupported Transfer-Encoding (only chunked, last)');
    }
    return listener(req, res);
  };
}

/** Connections guardRequests has answered and closed: nothing more is written to them. */
const answeredHere = new WeakSet<object>();

/** CONNECT asks the server to become a tunnel, which it never is: 405 JSON, then close. */
export function answerConnect(server: Server): void {
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(rawAnswer(405, 'Method Not Allowed', 'CONNECT is not supported', 'Allow: GET, HEAD\r\n'));
  });
}

export function answerClientErrors(server: Server): void {
  server.on('connection', (socket: Duplex) => {
    socket.once('data', (chunk: Buffer) => firstChunks.set(socket, chunk.subarray(0, 24)));
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    // Nothing to answer on a connection that is already gone or half-written.
    if (error.code === 'ECONNRESET' || !socket.writable || answeredHere.has(socket)) {
      socket.destroy();
      return;
    }
    const [status, reason, message] = ANSWERS[error.code ?? ''] ?? [400, 'Bad Request', 'malformed HTTP request'];
    // The failing chunk when it starts the request; else, while nothing has been answered on
    // this connection, its first bytes. Unknown: no body, which every client can frame.
    const method =
      methodOf(error.rawPacket) ??
      ((socket as Duplex & { bytesWritten?: number }).bytesWritten === 0
        ? methodOf(firstChunks.get(socket))
        : undefined);
    socket.end(rawAnswer(status, reason, message, '', method !== undefined && method !== 'HEAD'));
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
