// What deploy/README.md says the compose stack needs is what docker-compose.yml sets: the sum of
// the memory limits of the services `docker compose up` starts (those in no profile).
import { expect, it } from 'vitest';
import { readText, readYaml } from '../support/config-files.js';

interface ComposeService {
  profiles?: string[];
  deploy?: { resources?: { limits?: { memory?: string } } };
}

const UNITS: Record<string, number> = { K: 1 / 1024, M: 1, G: 1024 };

function mebibytes(limit: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG])$/i.exec(limit);
  if (!match) throw new Error(`memory limit ${limit} is not in K, M or G`);
  return Number(match[1]) * (UNITS[(match[2] as string).toUpperCase()] as number);
}

it('states the memory limits of the default services, summed, in deploy/README.md', () => {
  const services = Object.entries(readYaml('docker-compose.yml').services as Record<string, ComposeService>);
  const limits = services
    .filter(([, s]) => !s.profiles)
    .map(([name, s]) => [name, s.deploy?.resources?.limits?.memory]);
  expect(limits.filter(([, limit]) => limit === undefined).map(([name]) => name)).toEqual([]);
  const total = limits.reduce((sum, [, limit]) => sum + mebibytes(limit as string), 0);
  const stated = /limits of the services `docker compose up` starts add up to (\d+) MiB/.exec(
    readText('deploy/README.md').replace(/\s+/g, ' '),
  );
  expect(stated?.[1]).toBeDefined();
  expect(Number(stated?.[1])).toBe(total);
});
