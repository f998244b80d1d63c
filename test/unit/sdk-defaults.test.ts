// The SDK defaults the service changes are set only where the user set nothing.
import { expect, it } from 'vitest';
import { applySdkDefaults, SDK_DEFAULTS } from '../../otel/sdk-defaults.js';

it('sets its defaults where the environment has none, and keeps what the user set', () => {
  const env: NodeJS.ProcessEnv = { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512' };
  expect(applySdkDefaults(env)).toEqual(['OTEL_NODE_EXPERIMENTAL_SDK_METRICS']);
  expect(env).toEqual({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512', OTEL_NODE_EXPERIMENTAL_SDK_METRICS: 'true' });
  const off: NodeJS.ProcessEnv = { OTEL_NODE_EXPERIMENTAL_SDK_METRICS: 'false' };
  applySdkDefaults(off);
  expect(off.OTEL_NODE_EXPERIMENTAL_SDK_METRICS).toBe('false');
  expect(Object.keys(SDK_DEFAULTS)).toEqual(['OTEL_NODE_EXPERIMENTAL_SDK_METRICS', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE']);
});
