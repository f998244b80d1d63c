// deploy/alertmanager/alertmanager.yml as the alert-path test runs it. Alertmanager expands no
// environment variables in its config, so, as for Prometheus (prometheus-overlay.ts), only what
// differs from compose changes: the SMTP server's address (compose's `mailpit` -> 127.0.0.1 and
// the test's port) and the template paths, made absolute because the copy lives elsewhere.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { flagValue } from '../support/compose-command.js';

const CONFIG_FLAG = '--config.file';

/** Alertmanager's compose flags, its --config.file swapped for the loopback overlay of that file. */
export function withAlertmanagerOverlay(args: string[], composeServices: Set<string>, smtpPort: number): string[] {
  const configFile = flagValue(args, CONFIG_FLAG);
  if (!configFile) throw new Error(`compose gives Alertmanager no ${CONFIG_FLAG}`);
  const config = parse(readFileSync(configFile, 'utf8'));
  const [host] = (config.global.smtp_smarthost as string).split(':');
  if (!composeServices.has(host as string)) throw new Error(`smtp_smarthost ${host} is not a compose service`);
  config.global.smtp_smarthost = `127.0.0.1:${smtpPort}`;
  config.templates = (config.templates as string[]).map((pattern) => resolve(dirname(configFile), pattern));
  const file = join(mkdtempSync(join(tmpdir(), 'stack-alertmanager-')), 'alertmanager.yml');
  writeFileSync(file, stringify(config));
  return args.map((arg) => (arg.startsWith(`${CONFIG_FLAG}=`) ? `${CONFIG_FLAG}=${file}` : arg));
}
