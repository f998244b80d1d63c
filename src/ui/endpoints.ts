// The lecture's endpoints, one button each: what the page calls, and what kind of monitoring
// each one teaches (the README's table says the same of the server side).
export interface Endpoint {
  id: string;
  path: string;
  kind: string;
}

export const ENDPOINTS: Endpoint[] = [
  { id: 'hello', path: '/', kind: 'application' },
  { id: 'load', path: '/simulate-load?iterations=1000000', kind: 'application' },
  { id: 'error', path: '/simulate-error?rate=0.5', kind: 'application' },
  { id: 'db', path: '/db-query?duration_ms=200', kind: 'database' },
  { id: 'logs', path: '/log-test', kind: 'logs' },
  { id: 'network', path: '/network-check', kind: 'network' },
];
