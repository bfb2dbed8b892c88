// The chaos test, short form (the long one is bench/chaos.ts): LogWatch as a real process while files
// are rotated every way and the process is restarted with SIGTERM and SIGKILL. See chaos-driver.ts.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChaos, summarize } from './chaos-driver.ts';

describe('chaos: a real LogWatch under rotation, truncation and restarts', () => {
  it('sees every line exactly once across SIGTERM restarts, at least once across SIGKILL, with no duplicate alert', async () => {
    // LOGWATCH_CHAOS_REPO runs LogWatch from another checkout (to try a change without touching this one).
    const repoRoot = process.env.LOGWATCH_CHAOS_REPO;
    const result = await runChaos({ seed: 20261130, events: 110, ...(repoRoot === undefined ? {} : { repoRoot }) });
    writeFileSync(join(result.workDir, 'chaos-result.json'), JSON.stringify(result, null, 2));
    const summary = summarize(result);
    console.log(`${summary}\n(details in ${result.workDir})`);
    expect(result.problems, summary).toEqual([]);
    expect(result.eventsTotal).toBeGreaterThanOrEqual(100);
    expect(result.runs.some((r) => r.end === 'SIGKILL')).toBe(true);
    expect(result.runs.some((r) => r.end === 'SIGTERM')).toBe(true);
    expect(result.lost, summary).toEqual([]);
    expect(result.duplicated, summary).toEqual([]);
    expect(result.orderViolations, summary).toEqual([]);
    expect(result.badHistory, summary).toEqual([]);
    // One ALERTME rule with an hour of cooldown: one alert, whatever the restarts re-read.
    expect(result.alertLinesWritten).toBeGreaterThan(0);
    expect(result.chaosAlerts, summary).toBe(1);
    expect(result.chaosNotifications, summary).toBe(1);
    // Kept for a look when something failed; gone when all is well.
    rmSync(result.workDir, { recursive: true, force: true });
  }, 300_000);
});
