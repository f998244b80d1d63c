// The incident scenarios' switches: OpenFeature flags in flagd's flag-definition format, read
// from a file by the flagd provider in its in-process mode (no flagd server to run; the same
// file works unchanged with one). The provider re-reads the file when it changes, so
// `npm run incident -- <name> on` takes effect within seconds, with no restart and no HTTP
// endpoint an anonymous client could use to start an incident.
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import type { Logger } from 'winston';
import { ATTR_APP_INCIDENT_FLAGS_CHANGED } from '../semconv.js';
import { featureFlagSpanHook } from './flag-span-hook.js';

/** The scenarios the service reacts to; deploy/flags/incidents.flagd.json describes each. */
export const INCIDENT_FLAGS = ['error-burst', 'slow-route'] as const;
export type IncidentFlag = (typeof INCIDENT_FLAGS)[number];

export interface Incidents {
  /**
   * Whether any scenario was on when the file was last read: false on nearly every request, and
   * then no flag is evaluated at all (an OpenFeature evaluation, hooks and all, costs more than
   * the rest of the hello route's telemetry).
   */
  anyOn(): boolean;
  /** Whether a scenario is on, evaluated for this request; off whenever the flags cannot be read. */
  isOn(flag: IncidentFlag): Promise<boolean>;
  close(): Promise<void>;
}

// A domain of its own, so that a service this code is copied into keeps its own default provider.
const DOMAIN = 'incidents';

export async function startIncidents(flagFile: string, logger: Logger): Promise<Incidents> {
  const provider = new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: flagFile });
  const client = OpenFeature.getClient(DOMAIN);
  // Only evaluations that turn a scenario on are recorded: they are what changed the request.
  client.addHooks(featureFlagSpanHook((value) => value === true));
  let anyOn = false;
  // Read again whenever the provider reads the file; outside a request, so no span gets an event.
  const refresh = async () => {
    const values = await Promise.all(INCIDENT_FLAGS.map((flag) => client.getBooleanValue(flag, false)));
    anyOn = values.some(Boolean);
  };
  client.addHandler(ProviderEvents.Ready, () => void refresh());
  client.addHandler(ProviderEvents.ConfigurationChanged, (event) => {
    logger.warn('incident flags changed', { [ATTR_APP_INCIDENT_FLAGS_CHANGED]: event?.flagsChanged ?? [] });
    void refresh();
  });
  try {
    await OpenFeature.setProviderAndWait(DOMAIN, provider);
  } catch (error) {
    logger.warn('incident flags unavailable: every scenario stays off', {
      'file.path': flagFile,
      error: (error as Error).message,
    });
  }
  await refresh();
  return {
    anyOn: () => anyOn,
    isOn: (flag) => client.getBooleanValue(flag, false),
    close: () => OpenFeature.clearProviders(),
  };
}
