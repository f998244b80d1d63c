// What the process is called, in one place: the default service name and version (from
// package.json), the instrumentation scope of the service's own tracer and meter, and the
// service name and environment as the standard variables set them. src/ reads names from here
// and nothing else of otel/ but the telemetry() handle of sdk.ts (docs/architecture.md).
import { getStringFromEnv } from '@opentelemetry/core';
import { envDetector } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { readPackageJson } from './package-json.js';

const pkg = readPackageJson();

/** The default service.name, and the name of the instrumentation scope of the service's own spans and metrics. */
export const SERVICE_NAME: string = pkg.name;
export const SERVICE_VERSION: string = pkg.version;
export const INSTRUMENTATION_SCOPE: string = pkg.name;

/** A resource attribute OTEL_RESOURCE_ATTRIBUTES sets, parsed by the SDK's own detector. */
function resourceAttribute(key: string): string | undefined {
  const value = envDetector.detect().attributes?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

/** service.name as the SDK resolves it: OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then the default. */
export function serviceName(): string {
  return getStringFromEnv('OTEL_SERVICE_NAME') || resourceAttribute(ATTR_SERVICE_NAME) || SERVICE_NAME;
}

/** The default deployment.environment.name: NODE_ENV (production in the image), else development. */
export function defaultEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env.NODE_ENV || 'development';
}
