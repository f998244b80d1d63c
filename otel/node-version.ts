// The first thing the service runs: a Node.js outside package.json's `engines` stops it in one
// line. On an older Node it would start and serve, with twice the memory and none of the loader
// hooks it expects, and nothing would say why.
import semver from 'semver';
import { readPackageJson } from './package-json.js';

/** The one-line refusal for `version`, or undefined when `range` admits it. */
export function unsupportedNode(version: string, range: string | undefined): string | undefined {
  if (!range || semver.satisfies(version, range)) return undefined;
  return JSON.stringify({
    level: 'error',
    message: `unsupported Node.js ${version}: this service needs ${range}`,
    fix: 'nvm install (reads .nvmrc), or on Linux x64: PATH="$(scripts/node-install.sh "$(cat .nvmrc)"):$PATH"',
  });
}

export function refuseUnsupportedNode(): void {
  const refusal = unsupportedNode(process.version, readPackageJson().engines?.node);
  if (refusal === undefined) return;
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
