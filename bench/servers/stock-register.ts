// The stock way to instrument the same bare Hono server, for comparison with the service's lean
// path: NodeSDK with getNodeAutoInstrumentations() (node:http included), every default, the ESM
// loader hook registered as the OpenTelemetry docs show. Exporters come from the OTEL_* variables
// (OTLP/HTTP protobuf for traces, metrics and logs by default), sent to the bench's sink.
//   node --import ./dist/bench/servers/stock-register.js dist/bench/servers/bare-hono.js
import { register } from 'node:module';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { NodeSDK } from '@opentelemetry/sdk-node';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
new NodeSDK({ instrumentations: [getNodeAutoInstrumentations()] }).start();
