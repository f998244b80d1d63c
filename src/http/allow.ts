// Which methods the app answers, from its routes (Hono's public `app.routes`), for the Allow
// header of a 405, of an OPTIONS answer and of CONNECT's refusal (RFC 9110, 10.2.1). GET brings
// HEAD (Hono answers HEAD with the GET route), and every path with a route answers OPTIONS.
import type { RouterRoute } from 'hono/types';

/** A route template as a test of a path: `:name` one segment, `*` anything. */
function matches(template: string, path: string): boolean {
  if (template === path) return true;
  if (!template.includes(':') && !template.includes('*')) return false;
  const pattern = template
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/:[^/]+/g, '[^/]+')
    .replace(/\*/g, '.*');
  return new RegExp(`^${pattern}$`).test(path);
}

/** The methods of `path`'s routes, or of every route when no path is given, sorted; none: []. */
export function allowedMethods(routes: readonly RouterRoute[], path?: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || (path !== undefined && !matches(route.path, path))) continue;
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
  }
  if (methods.size > 0) methods.add('OPTIONS');
  return [...methods].sort();
}
