// The names the page gives its telemetry, written once: the page (telemetry.ts) makes them and
// the relay (src/relay/) lets through only these. Plain constants, so the page's bundle can
// import this file without any of the server's code.
import { ENDPOINTS } from './endpoints.js';

/** The page's service.name: its spans sit beside the server's in Jaeger under this name. */
export const WEB_SERVICE_NAME = 'otel-monitoring-web';
/** The page's own instrumentation scope (its click spans and Web Vitals). */
export const PAGE_SCOPE = 'otel-monitoring-web';
/** The paths the service serves the page at: the only url.path a Web Vital may name. */
export const PAGE_PATHS = ['/ui/'];
/** The semantic conventions' event for one Web Vitals report. */
export const WEB_VITAL_EVENT = 'browser.web_vital';

export const clickSpanName = (endpointId: string) => `click ${endpointId}`;
export const CLICK_SPAN_NAMES = ENDPOINTS.map(({ id }) => clickSpanName(id));
