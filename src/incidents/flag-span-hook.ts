// An OpenFeature hook that records a flag evaluation on the active span (the server span of the
// request that asked), as the semantic conventions' `feature_flag.evaluation` event: in Jaeger
// the span of a request an incident changed says which flag did it. Written here rather than
// taken from @openfeature/open-telemetry-hooks, whose peer range for @opentelemetry/api-logs
// (^0.205) excludes the release this service runs.
import type { Hook } from '@openfeature/server-sdk';
import { trace } from '@opentelemetry/api';
import {
  ATTR_FEATURE_FLAG_KEY,
  ATTR_FEATURE_FLAG_PROVIDER_NAME,
  ATTR_FEATURE_FLAG_RESULT_REASON,
  ATTR_FEATURE_FLAG_RESULT_VARIANT,
  EVENT_FEATURE_FLAG_EVALUATION,
} from '../semconv.js';

/**
 * `record(value)` chooses which evaluations are worth an event: every one would put an event on
 * every request that asks, most of them saying "off".
 */
export function featureFlagSpanHook(record: (value: unknown) => boolean = () => true): Hook {
  return {
    after(hookContext, details) {
      if (!record(details.value)) return;
      trace.getActiveSpan()?.addEvent(EVENT_FEATURE_FLAG_EVALUATION, {
        [ATTR_FEATURE_FLAG_KEY]: details.flagKey,
        [ATTR_FEATURE_FLAG_PROVIDER_NAME]: hookContext.providerMetadata.name,
        ...(details.variant && { [ATTR_FEATURE_FLAG_RESULT_VARIANT]: details.variant }),
        ...(details.reason && { [ATTR_FEATURE_FLAG_RESULT_REASON]: details.reason.toLowerCase() }),
      });
    },
  };
}
