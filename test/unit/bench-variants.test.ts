// The variant syntax npm run bench:ab and bench:request-path take on the command line.
import { describe, expect, it } from 'vitest';
import { parseVariant, SERVICE } from '../../bench/run-once.js';
import { SERVICE_ENTRY, SERVICE_ENV_FILE, SERVICE_IMPORT } from '../../scripts/service-command.js';

describe('parseVariant', () => {
  it('reads `bare` as bare Hono and `-` as the service unchanged', () => {
    expect(parseVariant('bare').args).toEqual(['dist/bench/servers/bare-hono.js']);
    const service = parseVariant('-');
    expect(service.args).toEqual(SERVICE);
    expect(service.cwd).toBeUndefined();
    expect(service.env?.('http://sink')).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://sink' });
  });

  it('passes NAME=value settings to the service, values with = and spaces between', () => {
    const env = parseVariant('  NODE_OPTIONS=--max-semi-space-size=16   OTEL_TRACES_SAMPLER_ARG=0.1 ').env?.('s');
    expect(env).toMatchObject({ NODE_OPTIONS: '--max-semi-space-size=16', OTEL_TRACES_SAMPLER_ARG: '0.1' });
  });

  it('runs another checkout for DIR=, without passing DIR on', () => {
    const variant = parseVariant('DIR=/tmp/before OTEL_SDK_DISABLED=true');
    expect(variant.cwd).toBe('/tmp/before');
    expect(variant.env?.('s')).not.toHaveProperty('DIR');
    expect(variant.env?.('s')).toMatchObject({ OTEL_SDK_DISABLED: 'true' });
  });

  it("places FLAGS= after npm start's own node flags, so they win, and does not pass FLAGS on", () => {
    const variant = parseVariant('FLAGS=--max-semi-space-size=32 FLAGS=--single-threaded-gc OTEL_SDK_DISABLED=true');
    expect(variant.args).toEqual([
      '--max-semi-space-size=8',
      '--max-semi-space-size=32',
      '--single-threaded-gc',
      `--env-file=${SERVICE_ENV_FILE}`,
      '--import',
      SERVICE_IMPORT,
      SERVICE_ENTRY,
    ]);
    expect(variant.env?.('s')).not.toHaveProperty('FLAGS');
    expect(variant.env?.('s')).toMatchObject({ OTEL_SDK_DISABLED: 'true' });
  });

  it('refuses a word that is not NAME=value', () => {
    expect(() => parseVariant('OTEL_SDK_DISABLED')).toThrow(/not NAME=value/);
    expect(() => parseVariant('=1')).toThrow(/not NAME=value/);
  });
});
