// Flood: far more HTTP input than LogWatch can process, from one client, for a while; samples RSS and
// reports what was accepted, what was refused (429) and what /metrics says was shed. With the default
// per-client limits and with them off (then only the spool's back-pressure and the bounded queues act).
//   node_modules/.bin/bun bench/flood.ts [--seconds 15] [--connections 32]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLogWatch, workspace } from './lib/logwatch.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SECONDS = arg('seconds', 15);
const CONNECTIONS = arg('connections', 32);
const REPO = join(import.meta.dirname, '..');

for (const mode of ['default limits', 'limits off'] as const) {
  const ws = workspace(`flood-${mode.replace(' ', '-')}`);
  const body = join(ws.dir, 'body.txt');
  let text = '';
  for (let i = 0; i < 1000; i++) text += `10.0.${i % 256}.1 - - [30/Nov/2026:10:15:02 +0000] "GET /item/${i} HTTP/1.1" ${i % 50 === 0 ? 500 : 200} ${i} "-" "flood"\n`;
  writeFileSync(body, text);
  const lw = await startLogWatch('bun', ws, { watch: [], notifiers: {}, ingest: mode === 'limits off' ? { rateLimit: false } : {} });
  const rss: number[] = [lw.rss()];
  const sampler = setInterval(() => rss.push(lw.rss()), 500);
  const cannon = spawn('node', [join(REPO, 'bench', 'clients', 'autocannon-run.mjs'), JSON.stringify({ url: `${lw.url}/api/ingest?source=flood`, connections: CONNECTIONS, duration: SECONDS, bodyFile: body })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  cannon.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => cannon.once('exit', resolve));
  clearInterval(sampler);
  const result = JSON.parse(out.trim().split('\n').pop()!) as { requests: number; ok: number; non2xx: number; errors: number };
  const metrics = await (await fetch(`${lw.url}/metrics`)).text();
  const shed = metrics.split('\n').filter((l) => l.startsWith('logwatch_shed_total{') || l.startsWith('logwatch_ingest_rate_limited_total{')).join('; ');
  const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
  console.log(
    `${mode}: ${SECONDS} s, ${CONNECTIONS} connections, 1000-line batches: ${result.requests} requests, ${result.ok} accepted (${result.ok * 1000} lines), ` +
      `${result.non2xx} refused, ${result.errors} errors; RSS start ${mb(rss[0]!)}, max ${mb(Math.max(...rss))}, end ${mb(rss[rss.length - 1]!)}; ${shed}`,
  );
  await lw.stop();
  ws.remove();
}
