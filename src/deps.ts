// What the app is built from. server.ts passes the real ones; tests pass their own, so no
// handler reaches for a global.
import type { Meter, Tracer } from '@opentelemetry/api';
import type { Logger } from 'winston';
import type { Telemetry } from '../otel/sdk.js';
import type { Instruments } from './app-metrics.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Incidents } from './incidents/flags.js';
import type { RelayExporters } from './relay/exporters.js';
import type { UiAssets } from './ui-assets.js';

export interface AppDeps {
  config: Pick<Config, 'port' | 'networkTargets' | 'networkTimeoutMs'> &
    Partial<Pick<Config, 'uiRelayRate' | 'jaegerUiUrl'>>;
  db: Database;
  logger: Logger;
  tracer: Tracer;
  meter: Meter;
  instruments: Instruments;
  telemetry: Pick<Telemetry, 'status' | 'scrape'>;
  /**
   * What the browser relay sends the page's spans and log records with: absent while the SDK is
   * not running, a signal absent when the SDK does not export it over OTLP.
   */
  relay?: Omit<RelayExporters, 'shutdown'>;
  /** The web page's built files (src/ui/), when they were built. */
  ui?: UiAssets;
  /** The incident scenarios' flags (src/incidents/); absent: every scenario off. */
  incidents?: Pick<Incidents, 'anyOn' | 'isOn'>;
  /** Source of randomness for /simulate-error and /db-query; tests make it deterministic. */
  random?: () => number;
}
