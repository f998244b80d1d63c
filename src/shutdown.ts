// Graceful stop for a Node HTTP server: refuse new connections, wait for requests in flight,
// and only after the grace period cut what is left. Node's server.close() alone would wait
// forever on keep-alive connections; closing the idle ones at once would reset a request a
// client sent on one just as the stop began (RFC 9112, 9.6: a server closes idle connections
// gracefully). So the listener closes at once, idle connections stay open for IDLE_LINGER_MS,
// and every answer given while stopping carries Connection: close, which tells the client not to
// send another.
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { ServerType } from '@hono/node-server';

/** How long an idle keep-alive connection stays open once stopping: far longer than a request in flight takes to arrive. */
export const IDLE_LINGER_MS = 1_000;

export interface InFlight {
  count(): number;
  /** Resolves true when every request finished within graceMs, false when some were cut. */
  close(graceMs: number): Promise<boolean>;
}

export function trackInFlight(serverLike: ServerType): InFlight {
  const server = serverLike as Server;
  let active = 0;
  let closing = false;
  let lingered = false;
  // Before the app's own listener, so the header is set before any route answers.
  server.prependListener('request', (_req, res) => {
    active++;
    if (closing) res.setHeader('connection', 'close');
    res.once('close', () => {
      active--;
      // Once the linger is over, a keep-alive connection whose last request just finished is
      // closed rather than left to its idle timeout, so the process exits as soon as the work is done.
      if (lingered) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    count: () => active,
    close(graceMs) {
      closing = true;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve(false);
        }, graceMs);
        // Stop listening now, as net.Server#close does: http.Server#close would also close every
        // idle connection at once (Node 19 and later), which is what the linger is for.
        NetServer.prototype.close.call(server, () => {
          clearTimeout(timer);
          resolve(true);
        });
        setTimeout(
          () => {
            lingered = true;
            server.closeIdleConnections();
          },
          Math.min(IDLE_LINGER_MS, graceMs),
        );
      });
    },
  };
}
