// Which Host headers the service answers: a defence against DNS rebinding, where a page on an
// attacker's name that now resolves to this machine (or to a service on the victim's network)
// reads its answers as same-origin. Such a request names the attacker's host, never ours; an IP
// literal cannot be rebound, so probes and scrapes by address (Kubernetes' kubelet and
// Prometheus) always pass. The names come from ALLOWED_HOSTS (src/config.ts).
import { isIP } from 'node:net';

/** The host name of a Host header, lowercased, without port, brackets or a trailing dot. */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/** A test of a Host header against `allowed` (names, `.domain` for a domain and its subdomains, or `*`). */
export function allowsHost(allowed: readonly string[]): (header: string) => boolean {
  if (allowed.includes('*')) return () => true;
  const exact = new Set(allowed.filter((name) => !name.startsWith('.')));
  const domains = allowed.filter((name) => name.startsWith('.'));
  return (header) => {
    const name = hostName(header);
    return isIP(name) !== 0 || exact.has(name) || domains.some((d) => name.endsWith(d) || name === d.slice(1));
  };
}
