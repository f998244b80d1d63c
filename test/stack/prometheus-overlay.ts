// The repo's prometheus.yml as the stack test runs it: Prometheus cannot expand environment
// variables in scrape targets, so this overlay changes only what differs from compose, the
// host of each target (compose service name -> 127.0.0.1, ports unchanged), and makes the
// rule_files paths absolute. Everything else is the file users get.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { readYaml } from '../support/config-files.js';
import { ROOT } from '../support/service.js';

/** `movePorts` sends scrapes of one port to another (a broken scrape config, for the doctor test). */
export function prometheusOverlay(composeServices: Set<string>, movePorts: Record<string, string> = {}): string {
  const config = readYaml('prometheus.yml');
  config.rule_files = (config.rule_files as string[]).map((pattern) => resolve(ROOT, pattern));
  for (const job of config.scrape_configs) {
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
