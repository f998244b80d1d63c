// The Node HTTP server of the app, built in one place, its stages listed in the order a request
// meets them. Stages 1 to 3 and the refusals at the end are src/hardening/: what stands between
// the network and the app, which a copy of the instrumentation can leave out.
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import {
  answerClientErrors,
  answerConnect,
  answerExpectations,
  answerRequestError,
} from './hardening/client-errors.js';
import { limitPipelining } from './hardening/pipelining.js';
import { guardRequests } from './hardening/request-guards.js';
import { allowedMethods } from './http/allow.js';
import { SERVER_LIMITS } from './http/limits.js';

export interface HttpServerOptions {
  /** The address the server listens on, the adapter's hostname for request URLs. */
  host: string;
  allowedHosts: readonly string[];
  /** Called for each connection closed for pipelining too far. */
  onPipeliningClosed: () => void;
}

export function createHttpServer(app: Hono, { host, allowedHosts, onPipeliningClosed }: HttpServerOptions): Server {
  const server = createServer(
    // 1. Node's parser, within the server's limits (header size, slow clients, keep-alive).
    SERVER_LIMITS,
    // 2. A connection with too many requests waiting is closed, and none is run for it.
    limitPipelining(
      // 3. What no route should see: HTTP version, Host, Transfer-Encoding.
      guardRequests(
        // 4. The Hono adapter makes a web Request (the plain Node server its serve() would
        //    create, built here so that what it cannot parse gets a JSON answer too); 5. the app.
        getRequestListener(app.fetch, { hostname: host, errorHandler: answerRequestError }),
        allowedHosts,
      ),
      onPipeliningClosed,
    ),
  );
  // What never reaches the listener above: what the parser refuses, CONNECT, an Expect header.
  answerClientErrors(server);
  answerConnect(server, allowedMethods(app.routes).join(', '));
  answerExpectations(server);
  return server;
}
