// How the service is started, in one place: the node flags, the SDK bootstrap loaded before any
// application module, and the entry point. Tests and benchmarks spawn exactly this;
// test/static/start-command.test.ts holds npm start (package.json) and the image's CMD
// (Dockerfile), which cannot import it, equal to it, and fails on any other file that starts
// the bootstrap by hand.

/** Node flags: cap V8's semi-spaces (bench/NOTES.md, "Where the memory goes"). */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=8'];

/**
 * The SDK defaults the service changes (standard OTEL_* variables; the environment wins over
 * the file), loaded by Node before any module.
 */
export const SERVICE_ENV_FILE = 'otel/defaults.env';

/** The SDK bootstrap, loaded with --import before the application (otel/register.ts, built). */
export const SERVICE_IMPORT = './dist/otel/register.js';

/** The application's entry point, built. */
export const SERVICE_ENTRY = 'dist/src/server.js';

/** The minimal example's entry point, built (`npm run example`, examples/minimal/). */
export const EXAMPLE_ENTRY = 'dist/examples/minimal/server.js';

/**
 * The arguments after `node`; `extraFlags` come after the service's own, so a repeated flag wins.
 * `entry` is the service's unless the example is started the same way.
 */
export function serviceArgs(extraFlags: string[] = [], entry = SERVICE_ENTRY): string[] {
  return [...SERVICE_NODE_FLAGS, ...extraFlags, `--env-file=${SERVICE_ENV_FILE}`, '--import', SERVICE_IMPORT, entry];
}
