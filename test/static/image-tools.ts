// What each image of docker-compose.yml contains that a healthcheck could run, and where that
// fact comes from. Nothing here can run a container, so a healthcheck calling a program its
// image lacks (as `wget` on today's distroless Loki) would otherwise only show on a user's machine,
// as a service that never turns healthy and everything waiting on it never starting.

export interface ImageTools {
  /** Programs a healthcheck may call: `sh` for CMD-SHELL, or a binary by name or path. */
  tools: string[];
  source: string;
}

export const IMAGE_TOOLS: Record<string, ImageTools> = {
  postgres: {
    tools: ['sh', 'pg_isready'],
    source: 'docker-library/postgres Dockerfile: Debian base with the PostgreSQL client programs',
  },
  'quay.io/prometheuscommunity/postgres-exporter': {
    tools: ['sh', 'wget'],
    source: 'prometheus-community/postgres_exporter Dockerfile: FROM quay.io/prometheus/busybox',
  },
  'prom/prometheus': {
    tools: ['sh', 'wget'],
    source: 'prometheus/prometheus Dockerfile: FROM quay.io/prometheus/busybox',
  },
  'grafana/loki': {
    tools: ['/usr/bin/loki'],
    source:
      'distroless since 3.6, no shell or HTTP client (grafana/loki#20149); `loki -health` since 3.7.0 (grafana/loki#20313, CHANGELOG 3.7.0)',
  },
  'grafana/grafana': {
    tools: ['sh', 'curl'],
    source: 'grafana/grafana Dockerfile: apk add ca-certificates bash curl tzdata musl-utils',
  },
  'otel/opentelemetry-collector-contrib': {
    tools: [],
    source: 'opentelemetry-collector-releases, otelcol-contrib Dockerfile: FROM scratch, the binary alone',
  },
  'jaegertracing/jaeger': {
    tools: [],
    source: 'jaegertracing/jaeger cmd/jaeger/Dockerfile: the binary alone on a minimal base image',
  },
  'curlimages/curl': {
    tools: ['sh', 'curl'],
    source: 'curl/curl-container Dockerfile: Alpine base with busybox',
  },
};

/** `grafana/loki:3.7.6` -> `grafana/loki`. */
export function imageRepository(image: string): string {
  return image.replace(/:[^/:]+$/, '');
}

interface HealthcheckedService {
  image?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
}

/** The programs a service's healthcheck calls that its image does not have (empty when fine). */
export function healthcheckProblems(service: HealthcheckedService): string[] {
  const test = service.healthcheck?.test;
  if (!test || service.healthcheck?.disable || test[0] === 'NONE') return [];
  const repository = imageRepository(service.image ?? '');
  const tools = IMAGE_TOOLS[repository]?.tools ?? [];
  const [kind, command = ''] = test;
  // CMD-SHELL runs `sh -c command`: without a shell nothing else matters.
  const program = kind === 'CMD-SHELL' && !tools.includes('sh') ? 'sh' : (command.trim().split(/\s+/)[0] ?? '');
  return tools.includes(program) ? [] : [`${repository} has no ${program}`];
}
