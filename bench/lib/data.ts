// The benchmark's input files: 1 M lines of each main format, generated once from a seeded PRNG (so
// every run and every tool reads the same bytes) into bench/out/data/, which git ignores.
//
// The shapes follow real writers: nginx/Apache `combined`, RFC 3164 syslog as rsyslog writes it,
// node-bunyan JSON lines (a nested object and a request id, as HTTP services log them), and Python's
// `logging` default `%(asctime)s - %(name)s - %(levelname)s - %(message)s`. "mixed" takes one line of
// each in turn (a source whose lines change format all the time: the parser's slow path).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BENCH_OUT } from './env.ts';

export const FORMATS = ['access', 'syslog', 'json', 'python', 'mixed'] as const;
export type BenchFormat = (typeof FORMATS)[number];

/** Bump when the generated shapes change, so stale files are made again. */
const VERSION = 3;
export const DATA_DIR = join(BENCH_OUT, 'data');
/** Times start here and advance a few ms per line (the same instant in every file). */
const BASE_TIME = Date.UTC(2026, 10, 30, 8, 0, 0);

/** Mulberry32: small, fast, seeded; good enough to vary log fields. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const PATHS = ['/', '/index.html', '/api/items', '/api/items/{id}', '/api/cart', '/api/checkout', '/static/app.{hash}.js', '/static/style.{hash}.css', '/images/p/{id}.jpg', '/login', '/search?q=shoes&page={n}', '/health'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'curl/8.5.0',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
];
const REFERERS = ['-', 'https://shop.example.com/', 'https://shop.example.com/api/items', 'https://www.google.com/'];

/** Status mix of a healthy shop: mostly 200, some redirects and 404s, 0.2 % server errors. */
function status(r: number): number {
  if (r < 0.86) return 200;
  if (r < 0.9) return 304;
  if (r < 0.93) return 301;
  if (r < 0.998) return 404;
  return r < 0.999 ? 500 : 503;
}

function fill(template: string, rand: () => number): string {
  return template
    .replace('{id}', String(Math.floor(rand() * 100_000)))
    .replace('{hash}', Math.floor(rand() * 0xffffff).toString(16))
    .replace('{n}', String(1 + Math.floor(rand() * 20)));
}

function ip(rand: () => number): string {
  return `${10 + Math.floor(rand() * 200)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
}

/** Clients of the web server: a site sees thousands of addresses, not a new one per request. */
const CLIENTS = (() => {
  const rand = prng(2026);
  return Array.from({ length: 20_000 }, () => ip(rand));
})();

export function accessLine(i: number, rand: () => number): string {
  const t = new Date(BASE_TIME + i * 3);
  const ts = `${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
  const method = rand() < 0.9 ? 'GET' : 'POST';
  const path = fill(PATHS[Math.floor(rand() * PATHS.length)]!, rand);
  const code = status(rand());
  const bytes = code === 304 ? 0 : 200 + Math.floor(rand() * 40_000);
  const user = rand() < 0.1 ? `u${Math.floor(rand() * 500)}` : '-';
  return `${CLIENTS[Math.floor(rand() * CLIENTS.length)]} - ${user} [${ts}] "${method} ${path} HTTP/1.1" ${code} ${bytes} "${REFERERS[Math.floor(rand() * REFERERS.length)]}" "${AGENTS[Math.floor(rand() * AGENTS.length)]}"`;
}

const SYSLOG = [
  (r: () => number) => `sshd[${1000 + Math.floor(r() * 60000)}]: Accepted publickey for deploy from ${ip(r)} port ${1024 + Math.floor(r() * 60000)} ssh2: ED25519 SHA256:q8vJ0nNfJ3Lk`,
  (r: () => number) => `sshd[${1000 + Math.floor(r() * 60000)}]: Failed password for invalid user admin from ${ip(r)} port ${1024 + Math.floor(r() * 60000)} ssh2`,
  (r: () => number) => `CRON[${1000 + Math.floor(r() * 60000)}]: (root) CMD (/usr/lib/sysstat/debian-sa1 1 1)`,
  (r: () => number) => `systemd[1]: Started session-${Math.floor(r() * 9000)}.scope - Session of User deploy.`,
  (r: () => number) => `kernel: [${(r() * 900000).toFixed(6)}] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.`,
  (r: () => number) => `nginx[${800 + Math.floor(r() * 100)}]: upstream timed out (110: Connection timed out) while reading response header from upstream`,
  (r: () => number) => `postfix/smtpd[${2000 + Math.floor(r() * 9000)}]: connect from mail-${Math.floor(r() * 99)}.example.net[${ip(r)}]`,
];

export function syslogLine(i: number, rand: () => number): string {
  const t = new Date(BASE_TIME + i * 3);
  const day = String(t.getUTCDate()).padStart(2, ' ');
  const ts = `${MONTHS[t.getUTCMonth()]} ${day} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  const host = `web-${pad(1 + Math.floor(rand() * 12))}`;
  return `${ts} ${host} ${SYSLOG[Math.floor(rand() * SYSLOG.length)]!(rand)}`;
}

const BUNYAN_LEVELS = [30, 30, 30, 30, 30, 30, 20, 40, 50];
const MESSAGES = ['request completed', 'cache miss', 'upstream slow', 'payment authorized', 'session refreshed', 'rate limit near'];

export function jsonLine(i: number, rand: () => number): string {
  const t = new Date(BASE_TIME + i * 3).toISOString();
  const level = BUNYAN_LEVELS[Math.floor(rand() * BUNYAN_LEVELS.length)]!;
  const reqId = `${Math.floor(rand() * 0xffffffff).toString(16).padStart(8, '0')}-${Math.floor(rand() * 0xffff).toString(16).padStart(4, '0')}-4${Math.floor(rand() * 0xfff).toString(16).padStart(3, '0')}`;
  const code = level >= 50 ? 500 : level === 40 ? 429 : 200;
  return JSON.stringify({
    name: 'shop-api',
    hostname: `api-${pad(1 + Math.floor(rand() * 6))}`,
    pid: 4000 + Math.floor(rand() * 60),
    level,
    req_id: reqId,
    req: { method: rand() < 0.8 ? 'GET' : 'POST', url: fill(PATHS[Math.floor(rand() * PATHS.length)]!, rand), remoteAddress: ip(rand) },
    res: { statusCode: code, latency_ms: Math.round(rand() * 4000) / 10 },
    user: { id: Math.floor(rand() * 100_000), plan: rand() < 0.2 ? 'pro' : 'free' },
    msg: MESSAGES[Math.floor(rand() * MESSAGES.length)],
    time: t,
    v: 0,
  });
}

const PY_LOGGERS = ['app.db', 'app.http', 'celery.worker', 'app.cache', 'urllib3.connectionpool'];
const PY_LEVELS = ['INFO', 'INFO', 'INFO', 'INFO', 'DEBUG', 'WARNING', 'ERROR'];
const PY_MESSAGES = [
  (r: () => number) => `query took ${Math.floor(r() * 900)} ms rows=${Math.floor(r() * 50)}`,
  (r: () => number) => `GET /api/items/${Math.floor(r() * 100000)} 200 in ${Math.floor(r() * 300)} ms`,
  (r: () => number) => `Task shop.tasks.send_receipt[${Math.floor(r() * 0xffffff).toString(16)}] succeeded in ${(r() * 2).toFixed(3)}s`,
  (r: () => number) => `Starting new HTTPS connection (${1 + Math.floor(r() * 4)}): payments.example.com:443`,
  (r: () => number) => `cache hit ratio ${(r() * 100).toFixed(1)}% over ${Math.floor(r() * 1000)} keys`,
];

export function pythonLine(i: number, rand: () => number): string {
  const t = new Date(BASE_TIME + i * 3);
  const ts = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())},${pad(t.getUTCMilliseconds(), 3)}`;
  const logger = PY_LOGGERS[Math.floor(rand() * PY_LOGGERS.length)];
  return `${ts} - ${logger} - ${PY_LEVELS[Math.floor(rand() * PY_LEVELS.length)]} - ${PY_MESSAGES[Math.floor(rand() * PY_MESSAGES.length)]!(rand)}`;
}

const GENERATORS: Record<Exclude<BenchFormat, 'mixed'>, (i: number, rand: () => number) => string> = {
  access: accessLine,
  syslog: syslogLine,
  json: jsonLine,
  python: pythonLine,
};
const SINGLE = Object.keys(GENERATORS) as Array<keyof typeof GENERATORS>;

/** Line `i` of a format's file (mixed: one of each format in turn). */
export function lineMaker(format: BenchFormat, seed = 7): (i: number) => string {
  if (format === 'mixed') {
    const makers = SINGLE.map((f, k) => lineMaker(f, seed + k + 1));
    return (i) => makers[i % makers.length]!(i);
  }
  const rand = prng(seed + FORMATS.indexOf(format) * 1000);
  const make = GENERATORS[format];
  return (i) => make(i, rand);
}

export interface DataFile {
  format: BenchFormat;
  path: string;
  lines: number;
  bytes: number;
}

/** The file of `lines` lines of a format, made once (written to a temp name, then renamed). */
export function dataFile(format: BenchFormat, lines = 1_000_000): DataFile {
  const path = join(DATA_DIR, `${format}-${lines}-v${VERSION}.log`);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    const make = lineMaker(format);
    let chunk = '';
    for (let i = 0; i < lines; i++) {
      chunk += `${make(i)}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
    closeSync(fd);
    renameSync(tmp, path);
  }
  return { format, path, lines, bytes: statSync(path).size };
}

/**
 * Entries LogWatch makes of a data file (multi-line formats join lines), counted once by the parse
 * stage itself in 64 KiB batches and kept beside the file.
 */
export async function expectedEntries(file: DataFile): Promise<number> {
  const countPath = `${file.path}.entries`;
  if (existsSync(countPath)) return Number(readFileSync(countPath, 'utf8'));
  const { createParserFactory } = await import('../../src/parse/index.ts');
  const parser = createParserFactory({ formats: {}, parse: { multilineTimeoutMs: 250, detectLines: 20 } }).create({ source: 'count' });
  const text = readFileSync(file.path, 'utf8');
  const lines = text.split('\n');
  lines.pop();
  const out: unknown[] = [];
  let count = 0;
  for (let i = 0; i < lines.length; i += 300) {
    parser.push({ lines: lines.slice(i, i + 300), receivedAt: Date.now() }, out as never[]);
    count += out.length;
    out.length = 0;
  }
  parser.flush(out as never[]);
  count += out.length;
  writeFileSync(countPath, String(count));
  return count;
}
