// The route template Hono's router will pick for a request, asked before the handler runs, so
// the server span is born with its final name. The one place the service reads Hono's router
// internals: `app.router.match(method, path)` answers `[matches, …]`, where each match is
// `[[handler, routerRoute], params]` and routerRoute is the `{ method, path }` the handler was
// registered with (`ALL` for middleware added with use()). test/unit/hono-route.test.ts holds
// Hono to that and fails if an upgrade changes it.
import type { Hono } from 'hono';

type Match = [[unknown, { method: string; path: string }], unknown];

/** The template of the last handler registered for a method, or undefined when none matched. */
export function routeTemplate(app: Hono, method: string, path: string): string | undefined {
  // Hono answers HEAD with its GET route.
  const result = app.router.match(method === 'HEAD' ? 'GET' : method, path) as unknown as [Match[], ...unknown[]];
  const matches = result[0];
  for (let i = matches.length - 1; i >= 0; i--) {
    const route = matches[i]?.[0][1];
    if (route && route.method !== 'ALL') return route.path;
  }
  return undefined;
}
