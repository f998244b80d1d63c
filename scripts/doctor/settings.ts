// The doctor's settings, defined once: each endpoint is a flag and a variable, defaulting to the
// ports compose publishes on localhost; an empty value skips the hops that need it.
// `--preset service` empties every backend, for `npm start` alone, where only the service exists.
import { parseArgs } from 'node:util';
import type { Endpoints } from './hops.js';
import { withoutCredentials } from './http.js';

interface Setting {
  key: keyof Endpoints;
  flag: string;
  env: string;
  fallback: string;
  /** Empty under --preset service: a backend that npm start alone does not have. */
  backend: boolean;
}

export const SETTINGS: Setting[] = [
  { key: 'service', flag: 'service', env: 'DOCTOR_SERVICE', fallback: 'http://localhost:8080', backend: false },
  {
    key: 'collectorHealth',
    flag: 'collector-health',
    env: 'DOCTOR_COLLECTOR_HEALTH',
    fallback: 'http://localhost:13133',
    backend: true,
  },
  {
    key: 'collectorMetrics',
    flag: 'collector-metrics',
    env: 'DOCTOR_COLLECTOR_METRICS',
    fallback: 'http://localhost:8888',
    backend: true,
  },
  { key: 'prometheus', flag: 'prometheus', env: 'DOCTOR_PROMETHEUS', fallback: 'http://localhost:9090', backend: true },
  { key: 'jaeger', flag: 'jaeger', env: 'DOCTOR_JAEGER', fallback: 'http://localhost:16686', backend: true },
  { key: 'loki', flag: 'loki', env: 'DOCTOR_LOKI', fallback: 'http://localhost:3100', backend: true },
  {
    key: 'alertmanager',
    flag: 'alertmanager',
    env: 'DOCTOR_ALERTMANAGER',
    fallback: 'http://localhost:9093',
    backend: true,
  },
  { key: 'mailpit', flag: 'mailpit', env: 'DOCTOR_MAILPIT', fallback: 'http://localhost:8025', backend: true },
  {
    key: 'serviceName',
    flag: 'service-name',
    env: 'DOCTOR_SERVICE_NAME',
    fallback: 'otel-monitoring-service',
    backend: false,
  },
];

export const PRESETS = ['stack', 'service'] as const;

export interface DoctorSettings {
  endpoints: Endpoints;
  windowMs: number;
  json: boolean;
  help: boolean;
  preset: (typeof PRESETS)[number];
}

export class SettingsError extends Error {}

/**
 * An endpoint as the doctor uses and prints it: an http(s) URL without a trailing slash, its
 * user and password taken out (sent as Basic auth, never printed: http.ts).
 */
function endpointUrl(flag: string, env: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`--${flag} (${env}) must be an http or https URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingsError(`--${flag} (${env}) must be an http or https URL, not ${url.protocol}//…`);
  }
  return withoutCredentials(value).replace(/\/+$/, '');
}

/** The settings from the command line and the environment; a SettingsError says what is wrong. */
export function resolveSettings(args: string[], env: NodeJS.ProcessEnv): DoctorSettings {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        ...Object.fromEntries(SETTINGS.map(({ flag }) => [flag, { type: 'string' as const }])),
        preset: { type: 'string' },
        window: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new SettingsError((error as Error).message);
  }
  const preset = (values.preset ?? env.DOCTOR_PRESET ?? 'stack') as string;
  if (!(PRESETS as readonly string[]).includes(preset)) {
    throw new SettingsError(`--preset must be one of ${PRESETS.join(', ')}, not "${preset}"`);
  }
  const windowText = (values.window ?? env.DOCTOR_WINDOW ?? '5') as string;
  const windowSeconds = Number(windowText);
  if (!windowText.trim() || !Number.isFinite(windowSeconds) || windowSeconds < 0 || windowSeconds > 600) {
    throw new SettingsError(`--window (DOCTOR_WINDOW) must be a number of seconds from 0 to 600, not "${windowText}"`);
  }
  const endpoints = Object.fromEntries(
    SETTINGS.map(({ key, flag, env: name, fallback, backend }) => {
      const value =
        (values[flag] as string | undefined) ?? env[name] ?? (preset === 'service' && backend ? '' : fallback);
      return [key, key === 'serviceName' || value === '' ? value.replace(/\/+$/, '') : endpointUrl(flag, name, value)];
    }),
  ) as unknown as Endpoints;
  return {
    endpoints,
    windowMs: windowSeconds * 1000,
    json: values.json === true,
    help: values.help === true,
    preset: preset as DoctorSettings['preset'],
  };
}

export function usage(): string {
  const lines = SETTINGS.map(({ flag, env, fallback }) => `  --${flag} (${env}), default ${fallback}`);
  return [
    'npm run doctor -- [--json] [--window seconds] [--preset stack|service]',
    ...lines,
    'An empty value skips the hops that need it; --preset service (DOCTOR_PRESET) checks the service alone.',
    '',
  ].join('\n');
}
