// The page: a button per endpoint; a click calls it inside its own span and shows the answer,
// the trace id (a link to Jaeger when the service knows where its UI is), and whether the
// click's telemetry reached the Collector through the relay, or why not.
import { ENDPOINTS } from './endpoints.js';
import { type Delivery, startPageTelemetry } from './telemetry.js';

const list = document.getElementById('endpoints') as HTMLElement;
const answer = document.getElementById('answer') as HTMLElement;
const traceLine = document.getElementById('trace') as HTMLElement;
const deliveryLine = document.getElementById('delivery') as HTMLElement;

let currentTrace = '';
let jaegerUiUrl: string | null = null;

/** What to do about telemetry the relay did not take, by its answer. */
function advice({ status }: Extract<Delivery, { delivered: false }>): string {
  if (status === 503) return 'start a Collector (docker compose up), or run npm run doctor to see what is missing';
  if (status === 429) return 'the page sent too much at once; the next clicks will be sent again';
  if (status === undefined) return 'the service did not answer';
  return 'npm run doctor walks the pipeline';
}

function showDelivery(traceIds: Set<string>, delivery: Delivery): void {
  if (!traceIds.has(currentTrace)) return;
  deliveryLine.dataset.delivered = String(delivery.delivered);
  deliveryLine.textContent = delivery.delivered
    ? "telemetry: this click's spans reached the Collector"
    : `telemetry not delivered${delivery.status ? ` (${delivery.status})` : ''}: ${delivery.reason}; ${advice(delivery)}`;
}

function showTrace(traceId: string): void {
  currentTrace = traceId;
  traceLine.dataset.traceId = traceId;
  traceLine.textContent = `trace ${traceId}`;
  if (jaegerUiUrl) {
    const link = document.createElement('a');
    link.id = 'trace-link';
    link.href = `${jaegerUiUrl}/trace/${traceId}`;
    link.textContent = 'open in Jaeger';
    traceLine.append(' ', link);
  }
  deliveryLine.dataset.delivered = 'pending';
  deliveryLine.textContent = 'telemetry: sending…';
}

const telemetry = startPageTelemetry(showDelivery);
void fetch('/ui/config.json')
  .then((res) => (res.ok ? res.json() : {}))
  .then((config: { jaegerUiUrl?: string | null }) => {
    jaegerUiUrl = config.jaegerUiUrl ?? null;
  })
  .catch(() => {});

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
      showTrace(span.spanContext().traceId);
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
