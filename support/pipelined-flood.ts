// A pipelined flood, the way an anonymous client can mount one: many connections, each writing
// thousands of requests at once without waiting for an answer, while /healthz is asked every 50 ms
// on a connection of its own and the server's resident memory is read from /proc. Shared by
// `npm run bench:scenario -- flood` (the figures) and test/faults/pipelined-flood.test.ts (what
// must hold).
import { connect } from 'node:net';
import { pollDuring } from './poll.js';
import { memory } from './process-stats.js';

export interface FloodOptions {
  /** The service's base URL (http://host:port). */
  url: string;
  /** The server's process id, for its resident memory. */
  pid: number;
  connections: number;
  requestsEach: number;
  path?: string;
  /** How long the flooding client stays connected; /healthz is asked for `afterMs` more. */
  durationMs: number;
  afterMs?: number;
  /** A /healthz answer slower than this counts as unanswered. */
  probeTimeoutMs?: number;
}

export interface FloodResult {
  /** Answers each flood connection received (counted by status line) before it ended. */
  answersEach: number[];
  /** Flood connections the server ended or reset before the client let go. */
  closedByServer: number;
  healthz: { polls: number; failed: number; worstMs: number; p50Ms: number };
  rss: { beforeMiB: number; peakMiB: number; afterMiB: number };
}

const STATUS_LINE = Buffer.from('HTTP/1.1 ');

/** Occurrences of `needle` in `hay`, counting one that straddles the previous chunk's end. */
function countIn(hay: Buffer, needle: Buffer, carry: Buffer): { count: number; carry: Buffer } {
  const joined = carry.length ? Buffer.concat([carry, hay]) : hay;
  let count = 0;
  for (let at = joined.indexOf(needle); at !== -1; at = joined.indexOf(needle, at + needle.length)) count++;
  return { count, carry: joined.subarray(Math.max(0, joined.length - needle.length + 1)) };
}

interface FloodConnection {
  answers: number;
  closedByServer: boolean;
  ended: Promise<void>;
  /** The client hangs up (not counted as the server closing). */
  letGo(): void;
}

function floodConnection(url: URL, payload: Buffer): FloodConnection {
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  let carry: Buffer = Buffer.alloc(0);
  let lettingGo = false;
  const state: FloodConnection = {
    answers: 0,
    closedByServer: false,
    ended: new Promise((resolve) => socket.once('close', () => resolve())),
    letGo() {
      lettingGo = true;
      socket.destroy();
    },
  };
  socket.on('data', (chunk: Buffer) => {
    const counted = countIn(chunk, STATUS_LINE, carry);
    state.answers += counted.count;
    carry = counted.carry;
  });
  // A reset or an end that the client did not ask for is the server closing the connection.
  socket.on('error', () => {
    if (!lettingGo) state.closedByServer = true;
  });
  socket.on('end', () => {
    if (!lettingGo) state.closedByServer = true;
  });
  socket.once('connect', () => socket.write(payload));
  return state;
}

export async function pipelinedFlood(options: FloodOptions): Promise<FloodResult> {
  const { connections, requestsEach, durationMs, afterMs = 2_000, probeTimeoutMs = 10_000 } = options;
  const target = new URL(options.url);
  const request = `GET ${options.path ?? '/'} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`;
  const payload = Buffer.from(request.repeat(requestsEach));
  const beforeMiB = memory(options.pid).rssMiB;
  let peakMiB = beforeMiB;
  const sampler = setInterval(() => {
    peakMiB = Math.max(peakMiB, memory(options.pid).rssMiB);
  }, 100);

  const flood = Array.from({ length: connections }, () => floodConnection(target, payload));
  const letGo = setTimeout(() => {
    for (const c of flood) c.letGo();
  }, durationMs);
  const probesEnd = new Promise((resolve) => setTimeout(resolve, durationMs + afterMs));
  const polls = await pollDuring(`${options.url}/healthz`, probesEnd, probeTimeoutMs);
  clearTimeout(letGo);
  for (const c of flood) c.letGo();
  await Promise.all(flood.map((c) => c.ended));
  clearInterval(sampler);
  const afterMiB = memory(options.pid).rssMiB;
  const sorted = polls.map((p) => p.ms).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    answersEach: flood.map((c) => c.answers),
    closedByServer: flood.filter((c) => c.closedByServer).length,
    healthz: {
      polls: polls.length,
      failed: polls.filter((p) => p.status !== 200).length,
      worstMs: round(sorted.at(-1) ?? 0),
      p50Ms: round(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0),
    },
    rss: { beforeMiB: round(beforeMiB), peakMiB: round(peakMiB), afterMiB: round(afterMiB) },
  };
}
