// What each image of docker-compose.yml contains that a healthcheck could run, and where that
// fact comes from. Nothing here can run a container, so a healthcheck calling a program its
// image lacks (as `wget` on today's distroless Loki) would otherwise only show on a user's machine,
// as a service that never turns healthy and everything waiting on it never starting.

export interface ImageTools {
  /** The tag this fact vouches for: the one docker-compose.yml pins (a static test holds them equal). */
  tag: string;
  /** Programs a healthcheck may call: `sh` for CMD-SHELL, or a binary by name or path. */
  tools: string[];
  /** Which revision of the upstream file was read: the tag itself where it could be read there. */
  readAt: string;
  /** The upstream file, and what in it shows the tools. */
  source: string;
}

// A pin moved in docker-compose.yml fails compose.test.ts until its fact here is read again.
export const IMAGE_TOOLS: Record<string, ImageTools> = {
  postgres: {
    tag: '17.11',
    tools: ['sh', 'pg_isready'],
    readAt: 'docker-library/postgres 6edb0a8 (the 17.9 image; every 17.x tag is built from the same file)',
    source:
      'docker-library/postgres 17/trixie/Dockerfile: FROM debian:trixie-slim, with the PostgreSQL client programs',
  },
  'quay.io/prometheuscommunity/postgres-exporter': {
    tag: 'v0.20.1',
    tools: ['sh', 'wget'],
    readAt: 'v0.20.1',
    source: 'prometheus-community/postgres_exporter Dockerfile: FROM quay.io/prometheus/busybox-<os>-<arch>',
  },
  'prom/prometheus': {
    tag: 'v3.16.0',
    tools: ['sh', 'wget'],
    readAt: 'v3.16.0 (Go module v0.316.0, the one deploy/build/prometheus builds)',
    source: 'prometheus/prometheus Dockerfile: FROM quay.io/prometheus/busybox-<os>-<arch>',
  },
  'prom/alertmanager': {
    tag: 'v0.35.0',
    tools: ['sh', 'wget'],
    readAt:
      'main at 68fb2d5 (2026-08-22), the newest in the stored copy of the repository (v0.34.0 its newest tag); the file has kept this base since 2017',
    source: 'prometheus/alertmanager Dockerfile: FROM quay.io/prometheus/busybox-<os>-<arch>',
  },
  'axllent/mailpit': {
    tag: 'v1.33.1',
    tools: ['sh', 'wget', '/mailpit'],
    readAt: 'main at 408b30d (2026-07-20), the newest in the stored copy of the repository (v1.30.5 its newest tag)',
    source:
      'axllent/mailpit Dockerfile: FROM alpine:latest (busybox sh and wget), COPY /mailpit, HEALTHCHECK CMD ["/mailpit", "readyz"]',
  },
  'grafana/loki': {
    tag: '3.7.8',
    tools: ['/usr/bin/loki'],
    readAt: '3.6.0 and 3.7.0 release notes',
    source:
      'distroless since 3.6, no shell or HTTP client (grafana/loki#20149); `loki -health` since 3.7.0 (grafana/loki#20313, CHANGELOG 3.7.0)',
  },
  'grafana/grafana': {
    tag: '13.3.0',
    tools: ['sh', 'curl'],
    readAt:
      'the main branch of grafana/grafana in the stored copies (its snapshot is too large to fetch at a tag); the v13.0.3 release notes (Docker: Bump Alpine-based images to 3.24.1, grafana/grafana#126548) show the 13.x images Alpine-based',
    source:
      'grafana/grafana Dockerfile, final stage FROM the BASE_IMAGE argument (alpine): apk add --no-cache ca-certificates bash curl tzdata musl-utils',
  },
  'otel/opentelemetry-collector-contrib': {
    tag: '0.165.0',
    tools: [],
    readAt:
      'v0.159.0, the newest release tag in the stored copy of the repository; the final stage has been FROM scratch since 2021',
    source:
      'open-telemetry/opentelemetry-collector-releases distributions/otelcol-contrib/Dockerfile: FROM scratch, the binary and CA certificates alone',
  },
  'jaegertracing/jaeger': {
    tag: '2.13.0',
    tools: ['sh', 'wget'],
    readAt: 'v2.13.0',
    source:
      'jaegertracing/jaeger scripts/makefiles/Docker.mk: BASE_IMAGE baseimg_alpine; scripts/build/docker/base/Dockerfile: FROM alpine:3.22.2 (busybox sh and wget)',
  },
  'curlimages/curl': {
    tag: '8.22.0',
    tools: ['sh', 'curl'],
    readAt:
      '8.21.0, the newest tag in the stored copy of the repository; the 8.22.0 release (curl/curl-container releases/tag/8.22.0, 2026-09-02) changes only the curl version',
    source: 'curl/curl-container Makefile: base=docker.io/alpine:3.24.1 (busybox sh)',
  },
};

/** `grafana/loki:3.7.8` -> `grafana/loki`. */
export function imageRepository(image: string): string {
  return image.replace(/:[^/:]+$/, '');
}

/** `grafana/loki:3.7.8` -> `3.7.8`. */
export function imageTag(image: string): string {
  return /:([^/:]+)$/.exec(image)?.[1] ?? '';
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
