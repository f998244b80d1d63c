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

/** Whether a URL component's percent-encoding decodes (a lone `%` or `%zz` does not). */
function decodes(component: string): boolean {
  try {
    decodeURIComponent(component);
    return true;
  } catch {
    return false;
  }
}

/**
 * A target as an error message may show it: scheme, host and port, never the credentials,
 * path or query, which can hold a token. An unparsable one is shown by its name alone.
 */
function shown(name: string | undefined, url?: URL): string {
  if (url) return `"${name ? `${name}=` : ''}${url.protocol}//${url.host}"`;
  return name ? `target "${name}"` : 'a target';
}

export function parseTarget(spec: string, source: string): ProbeTarget {
  const eq = spec.indexOf('=');
  const hasName = eq > 0 && !spec.slice(0, eq).includes('://');
  const rawUrl = hasName ? spec.slice(eq + 1).trim() : spec;
  const givenName = hasName ? spec.slice(0, eq).trim() : undefined;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`${source}: ${shown(givenName)} is not a URL (expected tcp://host:port or http://host/path)`);
  }
  // Checked here, not at the first probe: a credential that cannot be decoded would pass start
  // and then fail every /network-check with "URI malformed".
  if (!decodes(url.username) || !decodes(url.password)) {
    throw new Error(
      `${source}: ${shown(givenName, url)} has credentials with a % that is not followed by two hex digits (write a literal % as %25)`,
    );
  }
  const kind: ProbeKind | undefined =
    url.protocol === 'tcp:' ? 'tcp' : url.protocol === 'http:' || url.protocol === 'https:' ? 'http' : undefined;
  if (!kind) throw new Error(`${source}: ${shown(givenName, url)} must use tcp://, http:// or https://`);
  if (!url.hostname) throw new Error(`${source}: ${shown(givenName, url)} has no host`);
  const defaultPort = url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
  const port = url.port ? Number(url.port) : defaultPort;
  if (port === undefined) throw new Error(`${source}: ${shown(givenName, url)} needs a port (tcp://host:port)`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const name = givenName ?? `${host}:${port}`;
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
