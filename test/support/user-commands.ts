// The commands a user runs against a running service, as the built scripts their npm scripts
// start (npm run doctor, npm run incident), for the tests that check what those commands see
// and do. The incident scenarios are switched in a copy of the shipped flag file, so a test
// never edits the repository's.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { HopResult } from '../../scripts/doctor/hops.js';
import { DEFAULT_INCIDENT_FLAGS_FILE } from '../../src/config.js';
import { ROOT } from '../../support/service.js';

/** A built script's path, or a clear error if the build has not run. */
function built(script: string): string {
  const path = join(ROOT, 'dist/scripts', script);
  if (!existsSync(path)) throw new Error(`${path} is missing: npm run build first`);
  return path;
}

/** A fresh copy of the shipped incident flag file, all scenarios as shipped (off). */
export function copyIncidentFlags(): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'incident-flags-')), basename(DEFAULT_INCIDENT_FLAGS_FILE));
  copyFileSync(join(ROOT, DEFAULT_INCIDENT_FLAGS_FILE), copy);
  return copy;
}

/** npm run incident with these arguments, switching the scenarios in `flagFile`; rejects on a non-zero exit. */
export function runIncident(flagFile: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [built('incident.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, FLAGD_OFFLINE_FLAG_SOURCE_PATH: flagFile },
  });
}

/** npm run doctor --json with these flags (an empty value skips that hop): its report and exit code. */
export async function runDoctor(flags: Record<string, string>): Promise<{ report: DoctorReport; code: number }> {
  const args = [built('doctor/main.js'), '--json', ...Object.entries(flags).map(([k, v]) => `--${k}=${v}`)];
  const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT }, (error, out) =>
      resolve({ stdout: out, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    );
  });
  return { report: JSON.parse(stdout), code };
}

/** What npm run doctor --json prints (scripts/doctor/main.ts). */
export interface DoctorReport {
  ok: boolean | null;
  first_broken: string | null;
  hops: HopResult[];
}
