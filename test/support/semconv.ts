// The semantic-convention registry as @opentelemetry/semantic-conventions ships it: every
// attribute key and metric name its type declarations define (the stable entry point and the
// incubating one, pinned exactly in package.json because incubating names change in minor
// releases), and which of them carry a @deprecated marker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/service.js';

const DIST = join(ROOT, 'node_modules/@opentelemetry/semantic-conventions/dist');
const FILES = ['stable_attributes', 'experimental_attributes', 'stable_metrics', 'experimental_metrics'];

export interface Registry {
  /** name -> deprecated? (with the replacement the marker names) */
  names: Map<string, { deprecated: string | undefined }>;
}

export function loadRegistry(): Registry {
  const names = new Map<string, { deprecated: string | undefined }>();
  for (const file of FILES) {
    const text = readFileSync(join(DIST, `${file}.d.mts`), 'utf8');
    for (const [, doc, name] of text.matchAll(
      /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*declare const (?:ATTR|METRIC)_\w+: "([^"]+)";/g,
    )) {
      const deprecated = /@deprecated\s+([^\n]*)/.exec(doc ?? '')?.[1]?.trim();
      const known = names.get(name as string);
      // A name defined as stable anywhere is not deprecated.
      if (!known || (known.deprecated && !deprecated)) names.set(name as string, { deprecated });
    }
  }
  return { names };
}

export type Verdict = 'ok' | 'app' | 'deprecated' | 'unknown';

/** ok: a current convention; app: the service's own namespace; else deprecated or unknown. */
export function judge(registry: Registry, name: string): Verdict {
  if (name.startsWith('app.')) return 'app';
  const entry = registry.names.get(name);
  if (!entry) return 'unknown';
  return entry.deprecated ? 'deprecated' : 'ok';
}
