// HTTP/1.1 pipelining, bounded. A client may send requests without waiting for answers, and Node
// parses every request in each read (up to 64 KiB: thousands of small requests) and runs its
// handler at once, queuing the answers: one connection could put thousands of requests ahead of
// everybody else's, /healthz included, and hold their answers in memory. No browser pipelines, and
// the clients that can (load generators) keep a few requests in flight, so a connection with more
// than MAX_PIPELINED requests waiting for their answers is closed, and no request is run for a
// connection that is gone: its answer has nowhere to go. Node cannot stop parsing a read half way,
// so the rest of that read still costs Node's parsing, not the handler's.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

export const MAX_PIPELINED = 16;
/** Connections closed for pipelining are counted into one warning line per this many ms. */
export const PIPELINING_WARN_EVERY_MS = 10_000;

const waiting = Symbol('requests waiting on this connection');
type Counted = IncomingMessage['socket'] & { [waiting]?: number };

/** `listener` for requests whose connection is open and not over MAX_PIPELINED; `onClosed` per closed connection. */
export function limitPipelining(listener: RequestListener, onClosed: () => void = () => {}): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as Counted;
    if (socket.destroyed) return;
    const count = (socket[waiting] ?? 0) + 1;
    if (count > MAX_PIPELINED) {
      socket.destroy();
      onClosed();
      return;
    }
    socket[waiting] = count;
    res.once('close', () => {
      socket[waiting] = (socket[waiting] ?? 1) - 1;
    });
    listener(req, res);
  };
}
