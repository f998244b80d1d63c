// Graceful stop for a Node HTTP server: refuse new connections, wait for requests in flight,
// and only after the grace period cut what is left. Node's server.close() alone would wait
// forever on keep-alive connections.
import type { Server } from 'node:http';
import type { ServerType } from '@hono/node-server';

export interface InFlight {
  count(): number;
  /** Resolves true when every request finished within graceMs, false when some were cut. */
  close(graceMs: number): Promise<boolean>;
}

export function trackInFlight(serverLike: ServerType): InFlight {
  const server = serverLike as Server;
  let active = 0;
  let closing = false;
  server.on('request', (_req, res) => {
    active++;
    res.once('close', () => {
      active--;
      // Once stopping, a keep-alive connection whose last request just finished is closed
      // rather than left to its idle timeout, so the process exits as soon as the work is done.
      if (closing) setImmediate(() => server.closeIdleConnections());
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
        server.close(() => {
          clearTimeout(timer);
          resolve(true);
        });
        // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
        server.closeIdleConnections();
      });
    },
  };
}
