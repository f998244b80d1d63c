// How docker-compose.yml runs a backend, turned into the same command natively: the service's
// `command` as compose-go resolves it (interpolation and defaults exactly as `docker compose`),
// with every path inside the container replaced by what the service mounts there: the
// repository's own file for a bind mount, a fresh temporary directory for a named volume. The
// stack test and the config checks start each backend this way, so a flag or a config file that
// compose gives a service cannot be missing from what the tests run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../support/service.js';
import { readYaml } from './config-files.js';
import { run } from './stack.js';

/** The env file the static tests resolve docker-compose.yml with (passwords set, as a user's .env). */
export const COMPOSE_TEST_ENV = 'test/static/compose.env';

interface Mount {
  type: 'bind' | 'volume' | string;
  source: string;
  target: string;
}

// biome-ignore lint/suspicious/noExplicitAny: compose-go's resolved project, as JSON
export type ComposeService = any;

/** Every service of docker-compose.yml, resolved by compose-check (compose-go). */
export async function resolveCompose(
  composeCheck: string,
  envFile = COMPOSE_TEST_ENV,
): Promise<Record<string, ComposeService>> {
  const { stdout } = await run(composeCheck, ['-f', 'docker-compose.yml', '--env-file', envFile], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout).services;
}

/**
 * The service's command with container paths mapped to host paths. A path is mapped when it is a
 * mount target or lies under one, whether it stands alone (`/etc/jaeger/config.yaml`) or follows
 * `=` in a flag (`--config.file=/etc/prometheus/prometheus.yml`).
 */
export function nativeArgs(service: ComposeService): string[] {
  const mounts: Mount[] = [...(service.volumes ?? [])].sort((a: Mount, b: Mount) => b.target.length - a.target.length);
  const hostPath = new Map<string, string>();
  for (const mount of mounts) {
    hostPath.set(mount.target, mount.type === 'bind' ? mount.source : mkdtempSync(join(tmpdir(), 'compose-volume-')));
  }
  const mapPath = (path: string): string => {
    const mount = mounts.find((m) => path === m.target || path.startsWith(`${m.target}/`));
    return mount ? `${hostPath.get(mount.target)}${path.slice(mount.target.length)}` : path;
  };
  return ((service.command ?? []) as string[]).map((arg) => {
    const eq = arg.indexOf('=');
    if (arg.startsWith('/')) return mapPath(arg);
    if (arg.startsWith('-') && eq > 0 && arg[eq + 1] === '/')
      return `${arg.slice(0, eq + 1)}${mapPath(arg.slice(eq + 1))}`;
    return arg;
  });
}

/** The value of `--name=value` (or `--name value`) in args, or undefined. */
export function flagValue(args: string[], name: string): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    if (arg === name) return args[i + 1];
  }
  return undefined;
}

/** The `--feature-gates=…` flags compose gives the Collector, for tests that run it on their own config. */
export function composeCollectorFeatureGates(): string[] {
  const command = readYaml('docker-compose.yml').services['otel-collector'].command as string[];
  return command.filter((arg) => arg.startsWith('--feature-gates='));
}
