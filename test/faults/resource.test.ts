// What anyone who can reach /metrics reads in target_info, and what every OTLP export carries:
// the resource. It must keep what correlates (service, instance, pid, host name, runtime) and
// hold back what maps the machine for an attacker or can carry a secret passed on the command
// line: the command and its arguments, the user, the executable's path, the machine id.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, type ServiceProcess, startService } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { prometheusSamples } from '../support/prometheus-samples.js';

// As the semantic conventions name them; on /metrics, dots become underscores. Written out, not
// imported from otel/resource-detectors.ts: this list is the requirement the code is held to.
const WITHHELD = [
  'process.command',
  'process.command_args',
  'process.command_line',
  'process.owner',
  'process.executable.path',
  'host.id',
];
const KEPT = ['service.name', 'service.instance.id', 'process.pid', 'process.runtime.name', 'host.name'];

const receiver = new OtlpReceiver();
let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(),
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
});

afterAll(async () => {
  await service?.stop();
  await receiver.stop();
});

it('shows in target_info what correlates, and no command line, owner, path or machine id', async () => {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const target = prometheusSamples(text).find((s) => s.name === 'target_info');
  expect(target, 'target_info on /metrics').toBeDefined();
  const labels = Object.keys(target?.labels ?? {});
  for (const key of KEPT) expect(labels, key).toContain(key.replaceAll('.', '_'));
  for (const key of WITHHELD) expect(labels, key).not.toContain(key.replaceAll('.', '_'));
});

it('exports the same resource over OTLP', async () => {
  await fetch(`${service.url}/`);
  const span = await eventually(() => receiver.spans()[0], 10_000, 'a span over OTLP');
  const keys = Object.keys(span.resource);
  for (const key of KEPT) expect(keys, key).toContain(key);
  for (const key of WITHHELD) expect(keys, key).not.toContain(key);
});
