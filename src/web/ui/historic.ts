// The historic view of the dashboard's list: a page of history (on disk, or the ring when history is
// disabled) over the chosen range, newest page first, with the URL of the next older page, and a
// histogram of the range whose bars zoom into their own range. No live stream: the list shows a
// fixed range, and "Live" goes back to the tail.
import { isoTime } from '../../types.ts';
import { TAIL_RANGES, type TailModel, type TailQuery } from '../../../views/model.ts';
import type { AppContext } from '../context.ts';
import { roundStep } from '../time-param.ts';
import { tailSearch } from './query.ts';

export const HISTORIC_PAGE = 200;
const BARS = 60;

function rangeOf(query: TailQuery, now: number): { from: number; to: number; label: string } {
  if (query.range === 'custom' && query.from !== undefined && query.to !== undefined) {
    return { from: query.from, to: query.to, label: `${isoTime(query.from).slice(0, 16).replace('T', ' ')} to ${isoTime(query.to).slice(0, 16).replace('T', ' ')} UTC` };
  }
  const range = TAIL_RANGES.find((r) => r.value === query.range) ?? TAIL_RANGES[0];
  return { from: now - range.ms, to: now, label: range.label };
}

export async function historicTailModel(ctx: AppContext, query: TailQuery): Promise<TailModel> {
  const { from, to, label } = rangeOf(query, ctx.clock());
  const step = roundStep(to - from, BARS);
  const patternId = query.filter.pattern;
  const pattern = patternId === undefined
    ? null
    : { template: ctx.patterns.templateOf(patternId) ?? null, clearUrl: `/${tailSearch({ ...query, cursor: undefined, filter: { ...query.filter, pattern: undefined } })}` };
  const base: TailModel = { query, entries: [], afterId: ctx.entries.lastId, error: null, more: false, streamUrl: '', pattern };
  const none = { label, from, to, olderUrl: null, newestUrl: null, bars: [], step };
  let page;
  let bars;
  try {
    const filter = { ...query.filter, from, to, resolvePattern: (id: string) => ctx.patterns.resolve(id) };
    [page, bars] = await Promise.all([
      ctx.history.search({ ...filter, limit: HISTORIC_PAGE, cursor: query.cursor }),
      ctx.history.histogram({ ...filter, step }),
    ]);
  } catch (err) {
    return { ...base, error: (err as Error).message, historic: none };
  }
  const withoutCursor: TailQuery = { ...query, cursor: undefined };
  return {
    ...base,
    entries: page.entries.reverse(),
    more: page.next !== null,
    historic: {
      ...none,
      olderUrl: page.next === null ? null : `/ui/tail${tailSearch({ ...withoutCursor, cursor: page.next })}`,
      newestUrl: query.cursor === undefined ? null : `/ui/tail${tailSearch(withoutCursor)}`,
      bars: bars.map((bar) => ({
        ...bar,
        href: `/${tailSearch({ filter: query.filter, order: query.order, range: 'custom', from: Math.max(bar.time, from), to: Math.min(bar.time + step, to) })}`,
      })),
    },
  };
}
