// A dashboard to look at while working on it: a real pipeline in this process, fed demo traffic.
//   node_modules/.bin/bun test/e2e/dev-server.ts            (PORT=3100 RATE=20 lines/s by default)
// Not a test: the browser tests start the real CLI (see launcher.ts).
import { Hono } from 'hono';
import { webContext } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { createConsoleLogger } from '../../src/logger.ts';
import { Pipeline } from '../../src/pipeline.ts';
import type { FileSources, IngestSpool } from '../../src/sources/index.ts';
import { startServer } from '../../src/web/serve.ts';
import { sameOrigin } from '../../src/web/middleware/same-origin.ts';
import { silenceFormRoutes } from '../../src/web/silences.ts';
import { createUi } from '../../src/web/ui.ts';
import { DemoTraffic } from './demo-traffic.ts';

const port = Number(process.env.PORT ?? 3100);
const rate = Number(process.env.RATE ?? 20);
const history = Number(process.env.HISTORY ?? 3000);

const config = parseConfig({ notifiers: {}, port });
const logger = createConsoleLogger();
const clock = () => Date.now();
const pipeline = new Pipeline({ config, logger, clock });
const noFiles: FileSources = { start: async () => {}, stop: async () => {}, status: () => [] };
const noSpool: IngestSpool = { open: async () => {}, accept: async () => {}, close: async () => {}, status: () => [] };
const ctx = webContext(pipeline, { config, files: noFiles, spool: noSpool, logger, clock, startedAt: clock() - 47 * 60_000 });

const traffic = new DemoTraffic();
const write = (lines: Array<{ source: string; line: string }>, receivedAt: number) => {
  const bySource = new Map<string, string[]>();
  for (const { source, line } of lines) {
    let list = bySource.get(source);
    if (list === undefined) bySource.set(source, (list = []));
    list.push(line);
  }
  for (const [source, list] of bySource) pipeline.write({ source, lines: list, receivedAt });
};

// An hour of history, denser toward now.
const start = clock() - 59 * 60_000;
for (let i = 0; i < history; i++) {
  const t = start + Math.floor((i / history) ** 0.7 * 59 * 60_000);
  write([traffic.next(t)], t);
}
pipeline.start();

const ui = createUi(ctx);
const app = new Hono();
app.use(sameOrigin());
app.route('/', ui.routes);
app.route('/', silenceFormRoutes(ctx.silences, clock));
const server = await startServer(app.fetch, { hostname: '127.0.0.1', port });
process.stdout.write(`dashboard dev server listening on http://127.0.0.1:${server.port} (${rate} lines/s)\n`);

let carry = 0;
setInterval(() => {
  carry += rate / 10;
  const n = Math.floor(carry);
  carry -= n;
  const now = clock();
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(traffic.next(now));
  if (lines.length > 0) write(lines, now);
}, 100);
