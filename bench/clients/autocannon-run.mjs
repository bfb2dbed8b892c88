// Runs autocannon against one URL (on Node, in a process of its own so the load generator does not
// share an event loop with the benchmark driver) and prints its result as one JSON line.
//   node bench/clients/autocannon-run.mjs '{"url":"http://127.0.0.1:3000/api/ingest","connections":8,"duration":10,"bodyFile":"/tmp/body.txt"}'
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const body = options.bodyFile ? readFileSync(options.bodyFile, 'utf8') : options.body;
const result = await autocannon({
  url: options.url,
  method: 'POST',
  connections: options.connections,
  duration: options.duration,
  pipelining: 1,
  headers: { 'content-type': options.contentType ?? 'text/plain' },
  body,
});
console.log(JSON.stringify({
  requests: result.requests.total,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  seconds: result.duration,
  reqPerSec: result.requests.average,
  latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
}));
