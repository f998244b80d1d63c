// The page: a button per endpoint; a click calls it inside its own span and shows the answer
// with the trace id to look up in Jaeger.
import { ENDPOINTS } from './endpoints.js';
import { startPageTelemetry } from './telemetry.js';

const telemetry = startPageTelemetry();
const list = document.getElementById('endpoints') as HTMLElement;
const answer = document.getElementById('answer') as HTMLElement;
const traceLine = document.getElementById('trace') as HTMLElement;

for (const endpoint of ENDPOINTS) {
  const button = document.createElement('button');
  button.id = `call-${endpoint.id}`;
  button.type = 'button';
  button.textContent = endpoint.path;
  const kind = document.createElement('small');
  kind.textContent = endpoint.kind;
  button.append(kind);
  button.addEventListener('click', () => {
    answer.textContent = '…';
    answer.dataset.status = 'pending';
    void telemetry.click(endpoint.id, async (span) => {
      const traceId = span.spanContext().traceId;
      traceLine.textContent = `trace ${traceId}`;
      traceLine.dataset.traceId = traceId;
      try {
        const res = await fetch(endpoint.path);
        const text = await res.text();
        answer.textContent = `${res.status} ${res.statusText}\n${text}`;
        answer.dataset.status = String(res.status);
      } catch (error) {
        answer.textContent = `request failed: ${(error as Error).message}`;
        answer.dataset.status = 'failed';
      }
    });
  });
  list.append(button);
}
