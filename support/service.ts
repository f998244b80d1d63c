// Runs the built service as a child process exactly as `npm start` does (the command line of
// scripts/service-command.ts) and collects what it prints: the one launcher of the tests and the
// benchmarks.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestPackageJson } from '../otel/package-json.js';
import { SERVICE_ENTRY, serviceArgs } from '../scripts/service-command.js';
import { listeningPorts } from './listening-ports.js';
import { eventually } from './poll.js';

// The one polling helper, shared with the benchmarks.
export { eventually };

/** This repository: the folder of the package.json above this file, run as source or built. */
export const ROOT = dirname(nearestPackageJson(dirname(fileURLToPath(import.meta.url))) ?? '.');

/**
 * A destination nothing listens on, for the tests that need one: port 2 (long unassigned in
 * practice), below 1024, so no unprivileged process can take it from the test (as it could a
 * port found free and then closed), and a connection to it is refused at once. Not port 0:
 * Node's HTTP client, and so the OTLP exporter, reads port 0 as "the default" and connects to
 * port 80, where a developer's machine may well have a web server. Not port 1: fetch refuses
 * it (the Fetch standard's bad ports) without trying, so the network check's probe of it makes
 * no request.
 */
export const REFUSING_PORT = 2;

export interface ServiceProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every stdout line, parsed as JSON where it is JSON. */
  lines: Array<Record<string, unknown>>;
  stderr: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The database the tests run against: DATABASE_URL when set (CI sets it), else embedded PGlite. */
export const DATABASE_ENV = { DATABASE_URL: process.env.DATABASE_URL ?? '' };

/** The environment a child gets: this process's, minus what would change the service's mode. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // NODE_ENV too: vitest sets it to `test`, and it names the deployment environment.
    if (key.startsWith('OTEL_') || ['DATABASE_URL', 'NETWORK_CHECK_TARGETS', 'NODE_ENV'].includes(key)) delete env[key];
  }
  return env;
}

/**
 * Starts the service (or, with `entry`, another program started the same way, such as the
 * example) on a port the kernel picks (PORT=0) and resolves once /healthz answers on one of the
 * ports the process listens on (the embedded database listens too, and answers no HTTP).
 */
export async function startService(
  env: NodeJS.ProcessEnv,
  readyTimeoutMs = 20_000,
  entry = SERVICE_ENTRY,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, serviceArgs([], entry), {
    cwd: ROOT,
    env: { ...baseEnv(), HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const service: ServiceProcess = {
    url: '',
    port: 0,
    child,
    lines,
    stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code] = await exited;
      clearTimeout(timer);
      return code as number | null;
    },
  };
  /** The port whose /healthz answers, once one does. */
  const answering = async (): Promise<number | undefined> => {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}: ${stderr.join('')}`);
    for (const port of listeningPorts(child.pid as number)) {
      try {
        // The HTTP server listens about two seconds before the embedded database, so this is
        // nearly always the only port; the timeout covers a non-HTTP one that never answers.
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
        if (res.ok && (await res.json()).status === 'ok') return port;
      } catch {
        // not HTTP, or not accepting yet
      }
    }
    return undefined;
  };
  try {
    service.port = await eventually(answering, readyTimeoutMs, 'the service to answer /healthz');
  } catch (error) {
    await service.stop('SIGKILL');
    throw error;
  }
  service.url = `http://127.0.0.1:${service.port}`;
  return service;
}

/** Waits until /readyz answers 200 (the embedded database takes a moment to start). */
export async function waitReady(service: ServiceProcess, timeoutMs = 20_000): Promise<void> {
  await eventually(async () => ((await fetch(`${service.url}/readyz`)).ok ? true : undefined), timeoutMs, 'readiness');
}
