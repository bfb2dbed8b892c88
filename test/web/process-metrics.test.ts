// The process_* metrics report this process, as a Prometheus client library would.
import { openSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processMetrics } from '../../src/web/process-metrics.ts';

const value = (name: string) => processMetrics().find((m) => m.name === name)?.value;

describe('processMetrics', () => {
  it('reports CPU, memory, start time and descriptors of this process', () => {
    const names = processMetrics().map((m) => m.name);
    expect(names).toEqual(['process_cpu_user_seconds_total', 'process_cpu_system_seconds_total', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'process_open_fds', 'process_max_fds']);
    expect(value('process_cpu_seconds_total')).toBeCloseTo(value('process_cpu_user_seconds_total')! + value('process_cpu_system_seconds_total')!, 2);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    const start = value('process_start_time_seconds')!;
    expect(start).toBeLessThanOrEqual(Date.now() / 1000);
    expect(start).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(value('process_start_time_seconds')).toBe(start);
  });

  it('counts descriptors as they are opened and closed, and CPU as it is spent', () => {
    const before = value('process_open_fds')!;
    const fds = Array.from({ length: 10 }, () => openSync('/dev/null', 'r'));
    expect(value('process_open_fds')).toBe(before + 10);
    for (const fd of fds) closeSync(fd);
    expect(value('process_open_fds')).toBe(before);
    expect(value('process_max_fds')).toBeGreaterThanOrEqual(before);
    const cpu = value('process_cpu_seconds_total')!;
    const until = Date.now() + 50;
    let spin = 0;
    while (Date.now() < until) spin++;
    expect(spin).toBeGreaterThan(0);
    expect(value('process_cpu_seconds_total')!).toBeGreaterThan(cpu);
  });
});
