// What Node parses but no route should see, refused in front of the Hono adapter's listener, in
// the service's JSON error shape: an HTTP version other than 1.0 and 1.1, no Host on HTTP/1.1
// or two Host headers (400, RFC 9112 3.2), a Host the service does not answer for (421
// Misdirected Request, RFC 9110: the answer to a request for a target a server will not serve),
// and a Transfer-Encoding it cannot frame (400, or 501 for a coding other than chunked).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { errorBody } from '../http/errors.js';
import { allowsHost } from './allowed-hosts.js';

/** A JSON error answer that closes the connection. */
export function answer(res: ServerResponse, status: number, message: string): void {
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
    if (req.httpVersion !== '1.1' && req.httpVersion !== '1.0') {
      answeredHere.add(req.socket);
      return answer(res, 400, `HTTP version ${req.httpVersion.slice(0, 8)} is not supported (1.1 and 1.0 are)`);
    }
    const host = req.headers.host;
    if (req.httpVersion === '1.1' && !host) return answer(res, 400, 'missing Host header');
    // Node keeps the first of two Host headers; RFC 9112 (3.2) asks for a 400.
    if (host && hostHeaders(req.rawHeaders) > 1) return answer(res, 400, 'more than one Host header');
    if (host && !allowed(host)) {
      return answer(res, 421, 'this service does not answer for that host (ALLOWED_HOSTS)');
    }
    const te = req.headers['transfer-encoding'];
    if (te !== undefined) {
      const codings = te
        .toLowerCase()
        .split(',')
        .map((coding) => coding.trim());
      // The parser may also fail on the body that follows: answeredHere keeps clientError from
      // writing a second answer on the same connection.
      if (codings.at(-1) !== 'chunked') {
        answeredHere.add(req.socket);
        return answer(res, 400, 'unsupported Transfer-Encoding (only chunked, last)');
      }
      const other = codings.find((coding) => coding !== 'chunked');
      if (other !== undefined) {
        answeredHere.add(req.socket);
        return answer(res, 501, `transfer coding "${other.slice(0, 32)}" is not implemented (only chunked)`);
      }
    }
    return listener(req, res);
  };
}

/** How many Host headers the raw header list has. */
function hostHeaders(raw: string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.length === 4 && raw[i]?.toLowerCase() === 'host') count++;
  return count;
}

/** Connections guardRequests has answered and closed: nothing more is written to them. */
export const answeredHere = new WeakSet<object>();
