// One probe per destination, in parallel, each bounded by its own timeout. A TCP probe is a bare
// connect (what `nc -z` checks); an HTTP probe is a GET through fetch(), so the undici
// instrumentation gives it a client span and carries the trace to the destination. No
// subprocess (no ping, no curl): nothing a request says reaches a shell.
import { connect } from 'node:net';
import type { ProbeTarget } from './targets.js';

export interface ProbeResult {
  name: string;
  kind: ProbeTarget['kind'];
  /**
   * Where the probe went, as `scheme://host:port` only: anonymous callers see this, and a target
   * URL's path, query or credentials may hold a token.
   */
  endpoint: string;
  up: boolean;
  /** Time to connect (tcp) or to the response headers (http), in milliseconds. */
  latency_ms: number;
  status?: number;
  /** Why the destination is down: a system error code (ECONNREFUSED, ENOTFOUND…), `timeout`, or an HTTP status. */
  reason?: string;
}

function reasonOf(error: unknown): string {
  const err = error as { code?: string; cause?: { code?: string; message?: string }; name?: string; message?: string };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timeout';
  return err?.code ?? err?.cause?.code ?? err?.cause?.message ?? err?.message ?? 'unknown error';
}

/** `scheme://host:port` of a target, IPv6 hosts in brackets. */
export function endpointOf(target: ProbeTarget): string {
  const scheme = target.kind === 'tcp' ? 'tcp' : new URL(target.url).protocol.slice(0, -1);
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${scheme}://${host}:${target.port}`;
}

function probeTcp(target: ProbeTarget, timeoutMs: number): Promise<Omit<ProbeResult, 'latency_ms'>> {
  const base = { name: target.name, kind: target.kind, endpoint: endpointOf(target) };
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    const finish = (result: Omit<ProbeResult, 'latency_ms'>) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ...base, up: false, reason: 'timeout' }), timeoutMs);
    socket.once('connect', () => finish({ ...base, up: true }));
    socket.once('error', (error) => finish({ ...base, up: false, reason: reasonOf(error) }));
  });
}

/** fetch() refuses a URL with credentials: they go in an Authorization header instead. */
function requestOf(target: ProbeTarget): { url: string; headers: Record<string, string> } {
  const url = new URL(target.url);
  if (!url.username && !url.password) return { url: url.href, headers: {} };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

async function probeHttp(target: ProbeTarget, timeoutMs: number): Promise<Omit<ProbeResult, 'latency_ms'>> {
  const endpoint = endpointOf(target);
  const base = { name: target.name, kind: target.kind, endpoint };
  const { url, headers } = requestOf(target);
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    const up = response.status < 500;
    return up
      ? { ...base, up, status: response.status }
      : { ...base, up, status: response.status, reason: `HTTP ${response.status}` };
  } catch (error) {
    // A message may quote the URL, query and all: show the endpoint in its place.
    const reason = reasonOf(error).replaceAll(target.url, endpoint).replaceAll(url, endpoint);
    return { ...base, up: false, reason };
  }
}

export async function probe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const result = target.kind === 'tcp' ? await probeTcp(target, timeoutMs) : await probeHttp(target, timeoutMs);
  return { ...result, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
}
