// The classic hand-rolled setup: Express 5 and a prom-client request-duration histogram, metrics only.
import express from 'express';
import client from 'prom-client';

const duration = new client.Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Request duration',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
client.collectDefaultMetrics();

const app = express();
app.use((req, res, next) => {
  const end = duration.startTimer();
  res.on('finish', () => end({ method: req.method, route: req.route?.path ?? 'unmatched', status: res.statusCode }));
  next();
});
app.get('/metrics', async (_req, res) => {
  res.type(client.register.contentType).send(await client.register.metrics());
});
app.get('/', (_req, res) => {
  res.type('text/plain').send('Hello, DevOps Monitoring!');
});
app.listen(Number(process.env.PORT), '127.0.0.1');
