// The natively built Collectors hold only what the images users pull hold. The tests run
// distributions that scripts/stack-install.sh builds with ocb; users run the
// otel/opentelemetry-collector-contrib image. A component that our build has and the image lacks
// (healthcheckv2 was one) passes every native test and restart-loops the container. So, for each
// builder manifest:
//   1. every module it builds says, in its own metadata.yaml at that version, that the contrib
//      distribution ships it;
//   2. every component type the configs that run on that image use is one the build holds (by the
//      type each module's metadata declares, not by a name map kept here);
//   3. the image tag is the release the build compiles.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type BuiltComponent, builtComponents, COMPONENT_KINDS, configuredTypes } from '../support/collector-build.js';
import { readText, readYaml } from '../support/config-files.js';
import { REQUIRE_STACK } from '../support/stack.js';

const IMAGE = 'otel/opentelemetry-collector-contrib';

interface Distribution {
  manifest: string;
  /** The Collector configs that run on this image. */
  configs: string[];
  /** The files that pin the image, and where in each. */
  images: () => string[];
}

function composeCollectorImage(): string[] {
  return [readYaml('docker-compose.yml').services['otel-collector'].image];
}

function kubernetesCollectorImages(): string[] {
  const dir = 'deploy/kubernetes/base/collector';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readText(`${dir}/${f}`)).map((d) => d.toJS()))
    .flatMap((o) => o?.spec?.template?.spec?.containers ?? [])
    .map((c: { image: string }) => c.image)
    .filter((image: string) => image.startsWith(`${IMAGE}:`));
}

const DISTRIBUTIONS: Distribution[] = [
  {
    manifest: 'deploy/collector/builder-config.yaml',
    configs: [
      'otel-collector.yaml',
      ...readdirSync('deploy/collector')
        .filter((f) => f.endsWith('.yaml') && f !== 'builder-config.yaml')
        .map((f) => `deploy/collector/${f}`),
    ],
    images: composeCollectorImage,
  },
  {
    manifest: 'deploy/collector/scale/builder-config.yaml',
    configs: ['deploy/kubernetes/base/collector/agent.yaml', 'deploy/kubernetes/base/collector/gateway.yaml'],
    images: kubernetesCollectorImages,
  },
];

for (const { manifest, configs, images } of DISTRIBUTIONS) {
  describe(`${manifest}, against the ${IMAGE} image`, () => {
    const components = builtComponents(manifest);
    const inCache = components.every((c) => c.metadataFile);
    if (REQUIRE_STACK && !inCache) {
      const missing = components.filter((c) => !c.metadataFile).map((c) => `${c.module}@${c.version}`);
      throw new Error(`not in the Go module cache (run scripts/stack-install.sh): ${missing.join(', ')}`);
    }

    it.skipIf(!inCache)('builds only modules whose own metadata says the contrib image ships them', () => {
      const notInContrib = components
        .filter((c) => !c.distributions?.includes('contrib'))
        .map((c: BuiltComponent) => `${c.module}@${c.version} (distributions: [${c.distributions?.join(', ')}])`);
      expect(notInContrib).toEqual([]);
    });

    it.skipIf(!inCache)(`holds every component type that ${configs.join(', ')} use`, () => {
      const missing: string[] = [];
      for (const file of configs) {
        const used = configuredTypes(readYaml(file));
        for (const kind of COMPONENT_KINDS) {
          const built = new Set(components.filter((c) => c.kind === kind).map((c) => c.type));
          for (const type of used[kind]) if (!built.has(type)) missing.push(`${file}: ${kind} ${type}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('pins the image to the release the build compiles', () => {
      const version = readYaml(manifest).dist.version as string;
      const pinned = images();
      expect(pinned.length).toBeGreaterThan(0);
      for (const image of pinned) expect(image).toBe(`${IMAGE}:${version}`);
      // Every v0 module is of that release (the stable core modules are numbered v1.x apart).
      const minor = version.split('.')[1];
      for (const c of components.filter((c) => c.version.startsWith('v0.'))) {
        expect(c.version.split('.')[1], `${c.module}@${c.version}`).toBe(minor);
      }
    });
  });
}
