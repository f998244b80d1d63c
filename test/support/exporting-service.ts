// The service run as npm start runs it, exporting at once to an OTLP receiver
// the test owns, and ready: what the contract tests start from.

import { type ServiceProcess, startService, waitReady } from '../../support/service.js';
import { exportingTo, OtlpReceiver } from './otlp-receiver.js';

export async function startExporting(
  env: NodeJS.ProcessEnv = {},
): Promise<{ receiver: OtlpReceiver; service: ServiceProcess }> {
  const receiver = new OtlpReceiver();
  const service = await startService({ ...exportingTo(await receiver.start()), ...env });
  await waitReady(service);
  return { receiver, service };
}
