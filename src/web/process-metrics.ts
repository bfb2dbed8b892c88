// The standard process_* metrics of Prometheus client libraries, written by hand: prom-client is not a
// dependency, and these five need nothing but `process` and /proc, which Bun, Node and Deno all offer
// (checked on each). Names, units and meanings follow the Prometheus client conventions, so existing
// dashboards and alerts for process metrics work unchanged. /proc is Linux only: elsewhere the
// descriptor metrics are left out rather than reported as 0.
import { readdirSync, readFileSync } from 'node:fs';
import process from 'node:process';

export interface ProcessMetric {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  value: number;
}

/** Start time in seconds since the epoch, fixed once (uptime drifts with the clock otherwise). */
const startTimeSeconds = Math.round((Date.now() / 1000 - process.uptime()) * 1000) / 1000;

export function processMetrics(): ProcessMetric[] {
  const out: ProcessMetric[] = [];
  const cpu = process.cpuUsage();
  out.push({ name: 'process_cpu_user_seconds_total', type: 'counter', help: 'Total user CPU time spent in seconds.', value: cpu.user / 1e6 });
  out.push({ name: 'process_cpu_system_seconds_total', type: 'counter', help: 'Total system CPU time spent in seconds.', value: cpu.system / 1e6 });
  out.push({ name: 'process_cpu_seconds_total', type: 'counter', help: 'Total user and system CPU time spent in seconds.', value: (cpu.user + cpu.system) / 1e6 });
  out.push({ name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes.', value: process.memoryUsage.rss() });
  out.push({ name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since unix epoch in seconds.', value: startTimeSeconds });
  const fds = openFds();
  if (fds !== undefined) out.push({ name: 'process_open_fds', type: 'gauge', help: 'Number of open file descriptors.', value: fds });
  const max = maxFds();
  if (max !== undefined) out.push({ name: 'process_max_fds', type: 'gauge', help: 'Maximum number of open file descriptors.', value: max });
  return out;
}

function openFds(): number | undefined {
  try {
    // The listing itself holds one descriptor while it runs; prom-client counts it too.
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line === undefined ? NaN : Number(line.split(/\s+/)[3]);
    return Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}
