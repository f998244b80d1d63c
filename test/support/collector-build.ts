// What a Collector Builder (ocb) manifest puts in a distribution, read from each component
// module's own metadata.yaml in the Go module cache that scripts/stack-install.sh fills while it
// builds: the component's type (the name a config uses) and the distributions that ship it. No
// list is kept by hand: a module's metadata is the upstream statement of which images hold it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readYaml } from './config-files.js';
import { STACK_CACHE_DIR } from './stack.js';

export const COMPONENT_KINDS = ['receivers', 'processors', 'connectors', 'exporters', 'extensions'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** The cache stack-install.sh builds with (it exports GOMODCACHE there unless one is set). */
export const GOMODCACHE = process.env.GOMODCACHE || join(STACK_CACHE_DIR, 'go', 'mod');

export interface BuiltComponent {
  /** A component kind, or `providers` (the confmap providers, which ship in images too). */
  kind: ComponentKind | 'providers';
  module: string;
  version: string;
  /** The path of its metadata.yaml, or undefined when the module is not in the cache. */
  metadataFile: string | undefined;
  type?: string;
  distributions?: string[];
}

/** Go's module cache spells an upper-case letter as `!` and the lower-case one. */
function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

export function moduleDir(module: string, version: string): string {
  return join(GOMODCACHE, `${escapeModulePath(module)}@${escapeModulePath(version)}`);
}

export function builtComponents(manifestPath: string): BuiltComponent[] {
  const manifest = readYaml(manifestPath);
  return [...COMPONENT_KINDS, 'providers' as const].flatMap((kind) =>
    ((manifest[kind] ?? []) as Array<{ gomod: string }>).map(({ gomod }) => {
      const [module = '', version = ''] = gomod.trim().split(/\s+/);
      const file = join(moduleDir(module, version), 'metadata.yaml');
      if (!existsSync(file)) return { kind, module, version, metadataFile: undefined };
      const metadata = parse(readFileSync(file, 'utf8'));
      return {
        kind,
        module,
        version,
        metadataFile: file,
        type: metadata.type as string,
        distributions: (metadata.status?.distributions ?? []) as string[],
      };
    }),
  );
}

/** `otlp_grpc/jaeger` -> `otlp_grpc`: the component type of a configured component id. */
export function componentType(id: string): string {
  return id.split('/')[0] as string;
}

/** The component types a Collector config defines, per kind. */
export function configuredTypes(config: Record<string, unknown>): Record<ComponentKind, string[]> {
  return Object.fromEntries(
    COMPONENT_KINDS.map((kind) => [kind, Object.keys((config[kind] as object) ?? {}).map(componentType)]),
  ) as Record<ComponentKind, string[]>;
}
