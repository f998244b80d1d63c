// The one rule for what a span may say of a URL, for the server span (src/http) and the client
// spans of the network-check probes (the undici instrumentation) alike:
// - every query value becomes REDACTED (the semantic conventions' placeholder) and the keys
//   stay, except a key with no value, which may itself be the token (`?KEY`), and goes whole;
// - a client span's path, which comes from configuration and may carry a token
//   (`/hooks/TOKEN`), becomes /REDACTED unless it is `/`.
// A list of secret-looking key names is not the rule: `jwt=`, `code=` or `pw=` would pass it.

export const REDACTED = 'REDACTED';

/** A query string (without `?`) with every value, and every value-less key, redacted. */
export function redactedQuery(query: string): string {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 ? `${pair.slice(0, eq)}=${REDACTED}` : REDACTED;
    })
    .join('&');
}

/** url.full, url.path and url.query for a client span: the origin as is, path and query redacted. */
export function redactedClientUrl(request: { origin: string; path: string }): Record<string, string> {
  const url = new URL(request.path, request.origin);
  const path = url.pathname === '/' ? '/' : `/${REDACTED}`;
  const query = url.search ? redactedQuery(url.search.slice(1)) : '';
  const attributes: Record<string, string> = {
    'url.full': `${url.origin}${path}${query ? `?${query}` : ''}`,
    'url.path': path,
  };
  if (query) attributes['url.query'] = query;
  return attributes;
}

/**
 * A URL a browser reports of the service's own pages and requests (url.full, http.url): the
 * path stays, since it names the service's routes; every query value is redacted; a fragment,
 * which never reaches a server and may hold anything, goes. Not a URL at all: REDACTED whole.
 */
export function redactedPageUrl(full: string): string {
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    return REDACTED;
  }
  const query = url.search ? redactedQuery(url.search.slice(1)) : '';
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}
