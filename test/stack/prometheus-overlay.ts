// The repo's prometheus.yml as the stack test runs it: Prometheus cannot expand environment
// variables in scrape targets, so this overlay changes only what differs from compose, the
// host of each target and Alertmanager (compose service name -> 127.0.0.1, ports unchanged unless
// moved), and makes the rule_files paths absolute. Everything else is the file users get.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { flagValue } from '../support/compose-command.js';

const CONFIG_FLAG = '--config.file';

/** `movePorts` sends scrapes of one port to another (a broken scrape config, for the doctor test). */
export function prometheusOverlay(
  configFile: string,
  composeServices: Set<string>,
  movePorts: Record<string, string> = {},
): string {
  const config = parse(readFileSync(configFile, 'utf8'));
  // Relative rule paths are relative to the config file, as Prometheus resolves them.
  config.rule_files = (config.rule_files as string[]).map((pattern) => resolve(dirname(configFile), pattern));
  const alertmanagers = config.alerting?.alertmanagers ?? [];
  for (const job of [...config.scrape_configs, ...alertmanagers]) {
    for (const group of job.static_configs ?? []) {
      group.targets = (group.targets as string[]).map((target) => {
        const [host, original] = target.split(':');
        const port = movePorts[original as string] ?? original;
        return composeServices.has(host as string) || host === 'localhost' ? `127.0.0.1:${port}` : target;
      });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'stack-prometheus-'));
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(config));
  return file;
}

/** Prometheus's compose flags with its --config.file swapped for the loopback overlay of that file. */
export function withPrometheusOverlay(
  args: string[],
  composeServices: Set<string>,
  movePorts: Record<string, string> = {},
): string[] {
  const configFile = flagValue(args, CONFIG_FLAG);
  if (!configFile) throw new Error(`compose gives Prometheus no ${CONFIG_FLAG}`);
  const overlay = prometheusOverlay(configFile, composeServices, movePorts);
  return args.map((arg) => (arg.startsWith(`${CONFIG_FLAG}=`) ? `${CONFIG_FLAG}=${overlay}` : arg));
}
