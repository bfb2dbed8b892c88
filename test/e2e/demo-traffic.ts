// Plausible log lines for demos, screenshots and load tests: an app log (Python logging), an access
// log (Apache combined), a JSON worker log and syslog, with a realistic mix of levels and statuses.

const PATHS = ['/api/orders', '/api/orders/1842', '/api/cart', '/login', '/static/app.js', '/api/search?q=boots', '/healthz', '/api/payments'];
const AGENTS = ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) Safari/605.1.15', 'curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0'];
const APP_MESSAGES: Array<[string, string]> = [
  ['INFO', 'request completed in 42ms user=1842 route=/api/orders'],
  ['INFO', 'cache hit ratio 0.93 for shard 4'],
  ['DEBUG', 'opening connection pool size=20'],
  ['INFO', 'order 88123 created for customer 1842'],
  ['WARNING', 'slow query took 1840ms: SELECT * FROM orders WHERE customer_id = 1842'],
  ['WARNING', 'retrying payment provider call attempt=2'],
  ['ERROR', 'connection refused to db:5432'],
  ['ERROR', 'timeout after 30s calling inventory-service'],
  ['CRITICAL', 'disk usage at 97% on /var/lib/postgresql'],
];
const WORKER_MESSAGES: Array<[string, string]> = [
  ['info', 'job finished'],
  ['info', 'job started'],
  ['warn', 'queue depth above 1000'],
  ['error', 'job failed: upstream returned 502'],
];

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.floor(r * items.length) % items.length];
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function appLine(now: number, r: number): string {
  const d = new Date(now);
  const [level, message] = r < 0.7 ? pick(APP_MESSAGES.slice(0, 4), r / 0.7) : pick(APP_MESSAGES, r);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)} - app.${pick(['db', 'api', 'billing'], r * 7 % 1)} - ${level} - ${message}`;
}

export function accessLine(now: number, r: number): string {
  const d = new Date(now);
  const status = r < 0.78 ? 200 : r < 0.86 ? 304 : r < 0.9 ? 302 : r < 0.95 ? 404 : r < 0.975 ? 401 : r < 0.99 ? 500 : 503;
  const ip = `10.0.${Math.floor(r * 7)}.${Math.floor(r * 250) + 1}`;
  const stamp = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  return `${ip} - - [${stamp}] "${pick(['GET', 'GET', 'POST'], r * 13 % 1)} ${pick(PATHS, r * 31 % 1)} HTTP/1.1" ${status} ${Math.floor(r * 50_000)} "-" "${pick(AGENTS, r * 17 % 1)}"`;
}

export function workerLine(now: number, r: number): string {
  const [level, message] = pick(WORKER_MESSAGES, r < 0.8 ? r / 2 : r);
  return JSON.stringify({ timestamp: new Date(now).toISOString(), level, message, job: `email-${Math.floor(r * 1000)}`, queue: 'mailer', attempt: 1 + Math.floor(r * 3) });
}

export interface DemoLine {
  source: string;
  line: string;
}

/** A deterministic stream of lines (seeded), spread over the demo sources. */
export class DemoTraffic {
  private seed: number;

  constructor(seed = 42) {
    this.seed = seed;
  }

  private random(): number {
    // mulberry32
    let t = (this.seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  next(now: number): DemoLine {
    const which = this.random();
    const r = this.random();
    if (which < 0.45) return { source: 'logs/access.log', line: accessLine(now, r) };
    if (which < 0.8) return { source: 'logs/app.log', line: appLine(now, r) };
    return { source: 'logs/worker.log', line: workerLine(now, r) };
  }
}
