// npm run incident -- <scenario> on|off: switches an incident scenario by editing the flag file
// the service watches (deploy/flags/incidents.flagd.json, or FLAGD_OFFLINE_FLAG_SOURCE_PATH);
// the service picks the change up within seconds. With no arguments: the scenarios, what each
// does, which alerts it should fire and whether it is on. Exit 2 on a bad argument.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_INCIDENT_FLAGS_FILE } from '../src/config.js';

interface Flag {
  state: string;
  variants: Record<string, unknown>;
  defaultVariant: string;
  metadata?: { description?: string; alerts?: string };
}

const file = process.env.FLAGD_OFFLINE_FLAG_SOURCE_PATH || DEFAULT_INCIDENT_FLAGS_FILE;
const STATES = ['on', 'off'];

function fail(message: string): never {
  process.stderr.write(`incident: ${message}\n`);
  process.exit(2);
}

let definitions: { flags: Record<string, Flag> };
try {
  definitions = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  fail(`cannot read the flag file ${file}: ${(error as Error).message}`);
}
const flags = definitions.flags;

function list(): string {
  const lines = Object.entries(flags).map(([name, flag]) => {
    const state = flag.state === 'ENABLED' ? flag.defaultVariant : 'disabled';
    return `  ${name.padEnd(14)} ${state.padEnd(4)} ${flag.metadata?.description ?? ''}\n  ${''.padEnd(19)} fires: ${flag.metadata?.alerts ?? '-'}`;
  });
  return `Incident scenarios (${file}):\n${lines.join('\n')}\nSwitch one: npm run incident -- <scenario> on|off\n`;
}

const [name, state, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  process.stdout.write(list());
  process.exit(0);
}
const flag = flags[name];
if (!flag) fail(`no scenario "${name.slice(0, 40)}"; the scenarios are ${Object.keys(flags).join(', ')}`);
if (!state || !STATES.includes(state) || rest.length > 0) fail(`say on or off: npm run incident -- ${name} on|off`);
if (!(state in flag.variants)) fail(`the flag ${name} has no variant "${state}" in ${file}`);

flag.defaultVariant = state;
// Written beside the file, then renamed over it: the service never reads half a file, and a
// directory mounted into a container sees the new one (a single-file mount would keep the old).
const temporary = join(dirname(file), `.${basename(file)}.${process.pid}`);
writeFileSync(temporary, `${JSON.stringify(definitions, null, 2)}\n`);
renameSync(temporary, file);
process.stdout.write(
  state === 'on'
    ? `${name} is on: ${flag.metadata?.description ?? ''}\nExpect: ${flag.metadata?.alerts ?? 'no alert'}. Off again: npm run incident -- ${name} off\n`
    : `${name} is off.\n`,
);
