// Network-check destinations come only from configuration, never from a request, so the route
// cannot be turned into a port scanner. Format: comma-separated `name=url`, where the url is
// `tcp://host:port` (connect only) or `http://…` / `https://…` (GET, any status below 500 is up);
// the name is optional and defaults to host:port.
export type ProbeKind = 'tcp' | 'http';

export interface ProbeTarget {
  name: string;
  kind: ProbeKind;
  /** For tcp, `tcp://host:port`; for http, the full URL. */
  url: string;
  host: string;
  port: number;
}

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

export function parseTarget(spec: string, source: string): ProbeTarget {
  const eq = spec.indexOf('=');
  const hasName = eq > 0 && !spec.slice(0, eq).includes('://');
  const rawUrl = hasName ? spec.slice(eq + 1).trim() : spec;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`${source}: "${spec}" is not a URL (expected tcp://host:port or http://host/path)`);
  }
  const kind: ProbeKind | undefined =
    url.protocol === 'tcp:' ? 'tcp' : url.protocol === 'http:' || url.protocol === 'https:' ? 'http' : undefined;
  if (!kind) throw new Error(`${source}: "${spec}" must use tcp://, http:// or https://`);
  if (!url.hostname) throw new Error(`${source}: "${spec}" has no host`);
  const defaultPort = url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
  const port = url.port ? Number(url.port) : defaultPort;
  if (port === undefined) throw new Error(`${source}: "${spec}" needs a port (tcp://host:port)`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const name = hasName ? spec.slice(0, eq).trim() : `${host}:${port}`;
  if (!NAME.test(name)) throw new Error(`${source}: target name "${name}" must match ${NAME}`);
  return { name, kind, url: kind === 'tcp' ? `tcp://${url.host}` : url.href, host, port };
}

export function parseTargets(list: string, source: string): ProbeTarget[] {
  const specs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (specs.length === 0) throw new Error(`${source} lists no target`);
  const targets = specs.map((spec) => parseTarget(spec, source));
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.name)) throw new Error(`${source}: target name "${t.name}" appears twice`);
    names.add(t.name);
  }
  return targets;
}
