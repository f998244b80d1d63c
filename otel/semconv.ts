// The incubating convention names otel/ uses, spelled out in one place rather than imported from
// the incubating entry point (1.2 MB of JavaScript to load at start for a few strings); the
// contract test checks each against the conventions' registry. src/ keeps its own names in
// src/semconv.ts, since it imports nothing of otel/ but three modules.

export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
export const METRIC_HTTP_SERVER_ACTIVE_REQUESTS = 'http.server.active_requests';
