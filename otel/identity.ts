// What the process is called, in one place: the default service name and version (from
// package.json), the instrumentation scope of the service's own tracer and meter, and the
// service name and environment as the standard variables set them. src/ reads names from here
// and nothing else of otel/ but the telemetry() handle of sdk.ts (docs/architecture.md).
import { envDetector } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { readPackageJson } from './package-json.js';

const pkg = readPackageJson();

/** The default service.name, and the name of the instrumentation scope of the service's own spans and metrics. */
export const SERVICE_NAME: string = pkg.name;
export const SERVICE_VERSION: string = pkg.version;
export const INSTRUMENTATION_SCOPE: string = pkg.name;

/**
 * OTEL_RESOURCE_ATTRIBUTES as the SDK parses it (percent-decoding included). The SDK's detector
 * reads process.env and exposes no parser: for another environment (the tests'), its variable
 * is put in place for the call and the process's put back; the process's own is read as it is.
 */
function resourceAttribute(env: NodeJS.ProcessEnv, key: string): string | undefined {
  if (env === process.env) {
    const value = envDetector.detect().attributes?.[key];
    return typeof value === 'string' && value ? value : undefined;
  }
  const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;
  process.env.OTEL_RESOURCE_ATTRIBUTES = env.OTEL_RESOURCE_ATTRIBUTES ?? '';
  try {
    const value = envDetector.detect().attributes?.[key];
    return typeof value === 'string' && value ? value : undefined;
  } finally {
    if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
  }
}

/** service.name as the SDK resolves it: OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then the default. */
export function serviceName(env: NodeJS.ProcessEnv = process.env): string {
  return env.OTEL_SERVICE_NAME || resourceAttribute(env, ATTR_SERVICE_NAME) || SERVICE_NAME;
}

/** The default deployment.environment.name: NODE_ENV (production in the image), else development. */
export function defaultEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env.NODE_ENV || 'development';
}
