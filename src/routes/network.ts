// Network monitoring: /network-check probes each destination of NETWORK_CHECK_TARGETS (by
// default this service's own /healthz over HTTP and the database port over TCP) and reports
// latency and reachability. At most MAX_CONCURRENT_CHECKS run at once; more get 429 at once.
// - Prometheus: app_network_probe_duration_seconds (Histogram) and app_network_probe_up (Gauge,
//   1 or 0), both by app_network_probe_target.
// - Jaeger: HTTP probes are fetch() client spans under the server span.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { limitConcurrency } from '../http/concurrency.js';
import { probe } from '../network/probes.js';
import type { ProbeTarget } from '../network/targets.js';
import { ATTR_APP_NETWORK_PROBE_KIND, ATTR_APP_NETWORK_PROBE_TARGET } from '../semconv.js';

/**
 * Checks at once, for all clients together. Each opens a socket per destination (the database's
 * own port by default, where each connection costs PostgreSQL a process), so unbounded, a client
 * could fan its requests out into the targets and the service's file descriptors.
 */
export const MAX_CONCURRENT_CHECKS = 16;

function defaultTargets({ config, db }: AppDeps): ProbeTarget[] {
  const targets: ProbeTarget[] = [
    {
      name: 'self',
      kind: 'http',
      url: `http://127.0.0.1:${config.port}/healthz`,
      host: '127.0.0.1',
      port: config.port,
    },
  ];
  const database = db.address();
  if (database) {
    targets.push({ name: 'database', kind: 'tcp', url: `tcp://${database.host}:${database.port}`, ...database });
  }
  return targets;
}

export function networkRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const { instruments, config } = deps;

  const bound = limitConcurrency(MAX_CONCURRENT_CHECKS, 'network checks', Math.ceil(config.networkTimeoutMs / 1000));
  app.get('/network-check', bound, async (c) => {
    const targets = config.networkTargets ?? defaultTargets(deps);
    const results = await Promise.all(targets.map((target) => probe(target, config.networkTimeoutMs)));
    for (const result of results) {
      const attributes = { [ATTR_APP_NETWORK_PROBE_TARGET]: result.name, [ATTR_APP_NETWORK_PROBE_KIND]: result.kind };
      instruments.probeDuration.record(result.latency_ms / 1000, attributes);
      instruments.probeUp.record(result.up ? 1 : 0, attributes);
    }
    return c.json({ up: results.every((r) => r.up), targets: results });
  });

  return app;
}
