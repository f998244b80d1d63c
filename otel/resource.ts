// Resource attributes every signal carries (docs/architecture.md, "Naming"). These are defaults:
// the SDK merges OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES over them, so users override the
// standard way and the service adds no private alias.
// - service.instance.id is a random UUID per process unless OTEL_RESOURCE_ATTRIBUTES gives one.
//   Every restart therefore starts new series; where the instance has a stable name (a compose
//   service, a StatefulSet pod, a host), pass it, e.g. service.instance.id=$HOSTNAME.
// - deployment.environment.name defaults to NODE_ENV (production in the image), else development.
import { randomUUID } from 'node:crypto';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { defaultEnvironment, SERVICE_NAME, SERVICE_VERSION } from './identity.js';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SERVICE_INSTANCE_ID } from './semconv.js';

export function createResource(): Resource {
  return resourceFromAttributes({
    [ATTR_SERVICE_NAME]: SERVICE_NAME,
    [ATTR_SERVICE_VERSION]: SERVICE_VERSION,
    [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
    [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: defaultEnvironment(),
  });
}
