// Collapsing repeats in the live tail (`?collapse=1`): consecutive rows of one pattern become one row
// showing the latest entry and ×N. The first rows are collapsed by the server (tested here); live rows
// carry `data-pattern` so dashboard.js folds them the same way.
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { collapseRuns } from '../../views/tail.tsx';
import { rowHtml } from '../../src/web/ui/fragments.tsx';
import { parseTailQuery, tailSearch } from '../../src/web/ui/query.ts';
import { createUi, type Ui } from '../../src/web/ui.ts';
import type { LogEntry } from '../../src/types.ts';
import { memoryContext, storeEntries, type MemoryContext } from '../e2e/memory-context.ts';

let open: Ui[] = [];
afterEach(() => {
  for (const ui of open) ui.close();
  open = [];
});

function setup(): { ctx: MemoryContext; ui: Ui } {
  const ctx = memoryContext();
  const ui = createUi(ctx, { tickMs: 3_600_000 });
  open.push(ui);
  return { ctx, ui };
}

/** Rows of rendered HTML in document order: id and the ×N they show (1 without a badge). */
function rows(html: string): Array<{ id: number; count: number }> {
  return [...html.matchAll(/<details class="row [^"]*" data-id="(\d+)"[^>]*>([\s\S]*?)<\/summary>/g)].map((m) => {
    const badge = /<span class="repeat"[^>]*>×([\d,]+)<\/span>/.exec(m[2]!);
    return { id: Number(m[1]), count: badge === null ? 1 : Number(badge[1]!.replace(/,/g, '')) };
  });
}

function seed(ctx: MemoryContext): void {
  storeEntries(ctx, [
    { message: 'worker 1 started' },
    { message: 'worker 2 started' },
    { message: 'worker 3 started' },
    { message: 'disk full on /dev/sda1' },
    { message: 'worker 4 started' },
    { message: 'worker 5 started' },
  ]);
}

describe('collapse repeats', () => {
  test('consecutive rows of one pattern become one row with the latest entry and ×N, in either order', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    const newest = await (await ui.routes.request('/?collapse=1')).text();
    expect(rows(newest)).toEqual([{ id: 6, count: 2 }, { id: 4, count: 1 }, { id: 3, count: 3 }]);
    expect(newest).toContain('data-collapse="1"');
    const oldest = await (await ui.routes.request('/?collapse=1&order=oldest')).text();
    expect(rows(oldest)).toEqual([{ id: 3, count: 3 }, { id: 4, count: 1 }, { id: 6, count: 2 }]);
  });

  test('off by default: every row shown, no badge, the box unchecked', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    const html = await (await ui.routes.request('/')).text();
    expect(rows(html).map((r) => r.id)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(rows(html).every((r) => r.count === 1)).toBe(true);
    expect(html).not.toContain('data-collapse');
    expect(html).toMatch(/<input type="checkbox" name="collapse" value="1" id="filter-collapse"\/>/);
  });

  test('the toggle lives in the form and the URL like the other filters', async () => {
    const { ctx, ui } = setup();
    seed(ctx);
    const page = await (await ui.routes.request('/?collapse=1&level=INFO')).text();
    expect(page).toMatch(/<input type="checkbox" name="collapse" value="1" id="filter-collapse" checked=""/);
    const res = await ui.routes.request('/ui/tail?level=&source=&q=&collapse=1&order=newest');
    expect(res.headers.get('hx-replace-url')).toBe('/?collapse=1');
    expect(rows(await res.text())).toHaveLength(3);
    expect(tailSearch(parseTailQuery({ collapse: 'on', order: 'oldest' }).query)).toBe('?order=oldest&collapse=1');
    expect(parseTailQuery({ collapse: '0' }).query.collapse).toBeUndefined();
  });

  test('collapsed rows still escape log text', async () => {
    const { ctx, ui } = setup();
    storeEntries(ctx, [{ message: '<img src=x onerror=alert(1)> 1' }, { message: '<img src=x onerror=alert(1)> 2' }]);
    const html = await (await ui.routes.request('/?collapse=1')).text();
    expect(rows(html)).toEqual([{ id: 2, count: 2 }]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; 2');
  });

  test('live rows carry their pattern id for the page to fold', () => {
    const { ctx } = setup();
    storeEntries(ctx, [{ message: 'worker 1 started' }]);
    const [entry] = ctx.entries.all();
    expect(entry!.pattern).toBeDefined();
    expect(rowHtml(entry!)).toContain(`data-pattern="${entry!.pattern}"`);
  });

  test('collapseRuns: counts add up, neighbours differ, each row is its run\'s latest entry (property)', () => {
    const entry = (id: number, pattern: string | undefined) => ({ id, pattern }) as LogEntry;
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', undefined), { maxLength: 40 }), fc.boolean(), (patterns, reversed) => {
        const list = patterns.map((p, i) => entry(i + 1, p));
        if (reversed) list.reverse();
        const out = collapseRuns(list);
        expect(out.reduce((n, r) => n + r.count, 0)).toBe(list.length);
        let at = 0;
        for (const [k, row] of out.entries()) {
          const run = list.slice(at, at + row.count);
          at += row.count;
          expect(run.every((e) => e.pattern === row.entry.pattern)).toBe(true);
          if (row.count > 1) expect(row.entry.pattern).toBeDefined();
          expect(row.entry.id).toBe(Math.max(...run.map((e) => e.id)));
          const next = out[k + 1];
          if (next !== undefined && row.entry.pattern !== undefined) expect(next.entry.pattern).not.toBe(row.entry.pattern);
        }
      }),
    );
  });
});
