// `http.request.method` per the semantic conventions: the known methods as sent, anything else
// `_OTHER`, so a client inventing methods cannot create metric series.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);

export const OTHER_METHOD = '_OTHER';

export function normalizeMethod(method: string | undefined): string {
  return method && KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
}
