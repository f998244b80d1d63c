// Loaded with `node --import ./dist/otel/register.js` (see `npm start`), before any application
// module. Under ESM, instrumentations can patch a module only if the import-in-the-middle loader
// hook sees it being imported; the message channel tells the hook exactly which modules the
// instrumentations asked for, so nothing else pays for the wrapping.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const { startTelemetry } = await import('./sdk.js');
startTelemetry();
await waitForAllMessagesAcknowledged();
