// SIGKILL mid-write: whatever history acknowledged (flush() resolved) survives, nothing is doubled,
// and what survives is a gapless run of what was appended.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/process.ts';
import { allPages, openHistory, tempDir } from './helpers.ts';

function runUntilKilled(dir: string, startId: number, killAfterAcks: number): Promise<number> {
  const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'bun'), [join(import.meta.dirname, 'crash-child.ts'), dir, String(startId)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let lastAck = startId - 1;
  let acks = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child made no progress: ${err}`));
    }, 20_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const match = /^ack (\d+)$/.exec(line);
        if (match === null) continue;
        lastAck = Number(match[1]);
        if (++acks === killAfterAcks) child.kill('SIGKILL');
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${err}`));
      else resolve(lastAck);
    });
  });
}

describe('history after SIGKILL mid-write', () => {
  it('keeps everything acknowledged, exactly once, over several kills and restarts', async () => {
    const dir = tempDir('lw-hist-crash-');
    let next = 1;
    const segments: number[] = [];
    for (const killAfter of [40, 250, 7, 600]) {
      const lastAck = await runUntilKilled(dir, next, killAfter);
      const h = await openHistory({}, dir);
      const ids = (await allPages(h.store, {}, 5000)).map((e) => e.id).reverse();
      segments.push(h.store.stats().segments);
      await h.store.close();
      expect(new Set(ids).size).toBe(ids.length); // nothing doubled
      expect(ids[ids.length - 1]).toBeGreaterThanOrEqual(lastAck); // nothing acknowledged lost
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1)); // no gap: a run from the first
      next = ids.length + 1;
    }
    expect(segments[segments.length - 1]).toBeGreaterThan(segments[0]); // the kills landed among seals
  }, 120_000);
});
