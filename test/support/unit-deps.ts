// Real OTel SDK pieces held in memory, so unit tests assert on the spans, metrics and log
// records the app really produced, through app.request() and without a socket.
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, type MetricData } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Hono } from 'hono';
import winston from 'winston';
import Transport from 'winston-transport';
import { createApp } from '../../src/app.js';
import { createInstruments } from '../../src/app-metrics.js';
import type { Database } from '../../src/db/database.js';
import type { AppDeps } from '../../src/deps.js';

// Hono handlers see the active span only through a context manager, as in the real process.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
// A traceparent header is read as the SDK's default propagator reads it.
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

class MemoryTransport extends Transport {
  readonly records: Record<string, unknown>[] = [];
  override log(info: Record<string, unknown>, next: () => void): void {
    this.records.push(info);
    next();
  }
}

/**
 * A stand-in Database for route unit tests, which test what a route does with each outcome;
 * test/integration/ runs the same routes against real PostgreSQL servers. By default it fails
 * the test if reached: for requests that must be refused before any query.
 */
export function stubDb(overrides: Partial<Database> = {}): Database {
  return {
    mode: 'external',
    query: () => Promise.reject(new Error('the database must not be reached')),
    ping: () => Promise.reject(new Error('the database must not be reached')),
    address: () => undefined,
    close: async () => {},
    ...overrides,
  };
}

export interface UnitHarness {
  deps: AppDeps;
  spans(): ReadableSpan[];
  metric(name: string): Promise<MetricData | undefined>;
  logs: Record<string, unknown>[];
}

/** `sampler`: the SDK's default (parent-based, always on) unless a test needs another. */
export function createUnitHarness(overrides: Partial<AppDeps> = {}, sampler?: Sampler): UnitHarness {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    sampler,
    spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })],
  });
  const reader = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const memory = new MemoryTransport();
  const logger = winston.createLogger({ level: 'debug', transports: [memory] });
  const tracer = tracerProvider.getTracer('test');
  const deps: AppDeps = {
    config: { port: 0, networkTargets: [], networkTimeoutMs: 500 },
    db: stubDb(),
    logger,
    tracer,
    meter: meterProvider.getMeter('test'),
    instruments: createInstruments(meterProvider.getMeter('test')),
    telemetry: { status: 'started', scrape: async () => '# test\n' },
    ...overrides,
  };
  return {
    deps,
    spans: () => spanExporter.getFinishedSpans(),
    async metric(name) {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
    },
    logs: memory.records,
  };
}

/** The app as the service runs it: createApp's routes behind its telemetry middleware. */
export function serviceApp(deps: AppDeps): Hono {
  return createApp(deps);
}
