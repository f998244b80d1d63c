// Loaded with `node --import ./dist/otel/register.js` (see `npm start`), before any application
// module. Under ESM, instrumentations can patch a module only if import-in-the-middle's loader hook
// sees it being imported, and it wraps only the modules the instrumentations name.
// Where Node can run that hook on the main thread (module.registerHooks; Node 22.22.3+, 24.11.1+,
// 26), it does: no loader thread to start and keep (bench/NOTES.md, "No loader thread").
// Older Node gets the off-thread hook, and a message channel tells it the same module names.
// Everything but the version check is imported dynamically, after it: a static import that an
// unsupported Node cannot link would fail before the check could say why.
import { refuseUnsupportedNode } from './node-version.js';

refuseUnsupportedNode();
const { getBooleanFromEnv } = await import('@opentelemetry/core');
if (!getBooleanFromEnv('OTEL_SDK_DISABLED')) {
  const { otelEnvironmentProblems } = await import('./env-check.js');
  const problems = otelEnvironmentProblems();
  for (const problem of problems) {
    process.stderr.write(`${JSON.stringify({ level: 'error', message: `invalid configuration: ${problem}` })}\n`);
  }
  if (problems.length > 0) process.exit(1);
}
const { register } = await import('node:module');
const { createAddHookMessageChannel } = await import('import-in-the-middle');
const { register: registerInThread, supportsSyncHooks } = await import('import-in-the-middle/register-hooks.mjs');

if (supportsSyncHooks()) {
  const { createInstrumentations, instrumentedModules } = await import('./instrumentations.js');
  const instrumentations = createInstrumentations();
  registerInThread({ include: instrumentedModules(instrumentations) });
  const { startTelemetry } = await import('./sdk.js');
  startTelemetry(instrumentations);
} else {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startTelemetry } = await import('./sdk.js');
  startTelemetry();
  await waitForAllMessagesAcknowledged();
}
