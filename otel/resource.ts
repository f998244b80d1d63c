// Resource attributes every signal carries (docs/architecture.md, "Naming"). These are defaults: the SDK
// merges OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES over them, so users override the
// standard way and the service adds no private alias.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

// Incubating attribute names, spelled out rather than imported from the unstable entry point.
const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';

export const DEFAULT_SERVICE_NAME = 'otel-monitoring-service';

interface PackageJson {
  name: string;
  version: string;
}

function readPackageJson(): PackageJson {
  // Compiled (dist/otel/) the file sits two levels below package.json; as source (otel/), one.
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as PackageJson;
    } catch {
      // try the next candidate
    }
  }
  return { name: DEFAULT_SERVICE_NAME, version: '0.0.0' };
}

export function createResource(): Resource {
  const pkg = readPackageJson();
  return resourceFromAttributes({
    [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME,
    [ATTR_SERVICE_VERSION]: pkg.version,
    [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
    [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: 'development',
  });
}
