// What the service relies on in Hono's router (src/http/hono-route.ts): app.router.match(method,
// path) answers, for each matched handler, [[handler, { method, path }], params], with the path
// the handler was registered with, sub-apps mounted with route() included, and middleware added
// with use() as method ALL. If an upgrade of Hono changes that, these fail before a span name does.
import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { routeTemplate } from '../../src/http/hono-route.js';

function app(): Hono {
  const sub = new Hono();
  sub.get('/items/:id', (c) => c.text('item'));
  sub.post('/items', (c) => c.text('made'));
  const root = new Hono();
  root.use('*', async (_c, next) => next()); // middleware: ALL, never the route
  root.get('/', (c) => c.text('hello'));
  root.route('/api', sub);
  return root;
}

it('names the registered template, with parameters and mount prefix, not the raw path', () => {
  expect(routeTemplate(app(), 'GET', '/')).toBe('/');
  expect(routeTemplate(app(), 'GET', '/api/items/42')).toBe('/api/items/:id');
  expect(routeTemplate(app(), 'POST', '/api/items')).toBe('/api/items');
});

it('answers HEAD with the GET route, as Hono does', () => {
  expect(routeTemplate(app(), 'HEAD', '/api/items/7')).toBe('/api/items/:id');
});

it('finds no route for an unknown path or method, whatever middleware matched', () => {
  expect(routeTemplate(app(), 'GET', '/nope')).toBeUndefined();
  expect(routeTemplate(app(), 'DELETE', '/api/items')).toBeUndefined();
});

it('reads the shape it relies on from Hono itself', () => {
  const [matches] = app().router.match('GET', '/api/items/1') as unknown as [Array<[[unknown, unknown], unknown]>];
  const routes = matches.map(([[, route]]) => route);
  expect(routes).toEqual([
    { basePath: '/', path: '/*', method: 'ALL', handler: expect.any(Function) },
    { basePath: '/api', path: '/api/items/:id', method: 'GET', handler: expect.any(Function) },
  ]);
});
