// What the doctor finds before it walks the hops: which of the service and the backends answer
// at all, said in its first lines with what to do next, so a first run with `npm start` alone
// reads "the service runs, there is no Collector", not eight separate failures.
import type { Endpoints } from './hops.js';
import { request } from './http.js';

export type Backend = 'service' | 'collector' | 'prometheus' | 'jaeger' | 'loki' | 'alertmanager' | 'mailpit';

/** true: it answered HTTP; false: nothing answered; null: not checked (its endpoint is empty). */
export type Found = Record<Backend, boolean | null>;

const NAMES: Record<Backend, string> = {
  service: 'the service',
  collector: 'a Collector',
  prometheus: 'Prometheus',
  jaeger: 'Jaeger',
  loki: 'Loki',
  alertmanager: 'Alertmanager',
  mailpit: 'Mailpit',
};

/** Where the backend is, and the path whose answer, of any status, shows that it is there. */
function probeOf(backend: Backend, e: Endpoints): [string, string] {
  const probes: Record<Backend, [string, string]> = {
    service: [e.service, '/healthz'],
    collector: [e.collectorHealth || e.collectorMetrics, '/'],
    prometheus: [e.prometheus, '/-/ready'],
    jaeger: [e.jaeger, '/'],
    loki: [e.loki, '/ready'],
    alertmanager: [e.alertmanager, '/-/ready'],
    mailpit: [e.mailpit, '/readyz'],
  };
  return probes[backend];
}

export async function find(e: Endpoints): Promise<Found> {
  const backends = Object.keys(NAMES) as Backend[];
  const answers = await Promise.all(
    backends.map(async (backend) => {
      const [base, path] = probeOf(backend, e);
      if (!base) return null;
      try {
        await request(`${base}${path}`);
        return true;
      } catch {
        return false;
      }
    }),
  );
  return Object.fromEntries(backends.map((b, i) => [b, answers[i]])) as Found;
}

const FLAGS: Record<Backend, string> = {
  service: 'service',
  collector: 'collector-health',
  prometheus: 'prometheus',
  jaeger: 'jaeger',
  loki: 'loki',
  alertmanager: 'alertmanager',
  mailpit: 'mailpit',
};

/** The first lines: what answered, what did not, and the next step. */
export function summary(found: Found, e: Endpoints): string[] {
  const backends = Object.keys(NAMES) as Backend[];
  const named = (b: Backend) => `${NAMES[b]} (${probeOf(b, e)[0]})`;
  const up = backends.filter((b) => found[b] === true);
  const down = backends.filter((b) => found[b] === false);
  const lines = [
    `found: ${up.map(named).join(', ') || 'nothing'}${down.length ? `; nothing answers for ${down.map(named).join(', ')}` : ''}`,
  ];
  if (found.service === false) {
    lines.push('next: start the service (npm start), or give its URL with --service');
  } else if (found.collector === false && up.length === 1) {
    lines.push(
      'next: the service runs alone, so its telemetry is dropped. For the whole pipeline: docker compose up (deploy/README.md). To check the service by itself: npm run doctor -- --preset service',
    );
  } else if (down.length) {
    lines.push(
      `next: start what is missing, or skip it with an empty flag (for example --${FLAGS[down[0] as Backend]}=)`,
    );
  }
  return lines;
}
