import { afterEach, describe, expect, it } from 'vitest';
import { createInstrumentations, instrumentedModules } from '../../otel/instrumentations.js';

afterEach(() => {
  delete process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS;
});

describe('createInstrumentations', () => {
  it('loads the four the service uses', () => {
    expect(createInstrumentations().map((i) => i.instrumentationName)).toEqual([
      '@opentelemetry/instrumentation-undici',
      '@opentelemetry/instrumentation-pg',
      '@opentelemetry/instrumentation-winston',
      '@opentelemetry/instrumentation-runtime-node',
    ]);
  });

  it('leaves out what OTEL_NODE_DISABLED_INSTRUMENTATIONS names', () => {
    process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS = 'pg, runtime-node';
    expect(createInstrumentations().map((i) => i.instrumentationName)).toEqual([
      '@opentelemetry/instrumentation-undici',
      '@opentelemetry/instrumentation-winston',
    ]);
  });
});

describe('instrumentedModules', () => {
  it('names the packages the loader hook must wrap, once each', () => {
    expect(instrumentedModules(createInstrumentations()).sort()).toEqual(['pg', 'pg-pool', 'winston']);
  });

  it('leaves out the packages of disabled instrumentations', () => {
    process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS = 'pg';
    expect(instrumentedModules(createInstrumentations())).toEqual(['winston']);
  });
});
