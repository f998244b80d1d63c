// Reads the stack's config files as the programs that use them would, for the static checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../support/service.js';

export function readText(relative: string): string {
  return readFileSync(join(ROOT, relative), 'utf8');
}

// biome-ignore lint/suspicious/noExplicitAny: parsed configuration files are untyped by nature
export function readYaml(relative: string): any {
  return parse(readText(relative));
}

/** The Collector's `${env:NAME:-default}` expanded to its default, as compose runs it. */
export function withEnvDefaults(text: string): string {
  return text.replace(/\$\{env:[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}
