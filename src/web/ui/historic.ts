// The historic view of the dashboard's list: a page of history (on disk, or the ring when history is
// disabled) over the chosen range, newest page first, with the URL of the next older page. No live
// stream: the list shows a fixed range, and "Live" goes back to the tail.
import { TAIL_RANGES, type TailModel, type TailQuery } from '../../../views/model.ts';
import type { AppContext } from '../context.ts';
import { tailSearch } from './query.ts';

export const HISTORIC_PAGE = 200;

export async function historicTailModel(ctx: AppContext, query: TailQuery): Promise<TailModel> {
  const range = TAIL_RANGES.find((r) => r.value === query.range) ?? TAIL_RANGES[0];
  const from = ctx.clock() - range.ms;
  const base: TailModel = { query, entries: [], afterId: ctx.entries.lastId, error: null, more: false, streamUrl: '' };
  let page;
  try {
    page = await ctx.history.search({ ...query.filter, from, limit: HISTORIC_PAGE, cursor: query.cursor });
  } catch (err) {
    return { ...base, error: (err as Error).message, historic: { label: range.label, from, olderUrl: null, newestUrl: null } };
  }
  const withoutCursor: TailQuery = { filter: query.filter, order: query.order, range: range.value };
  return {
    ...base,
    entries: page.entries.reverse(),
    more: page.next !== null,
    historic: {
      label: range.label,
      from,
      olderUrl: page.next === null ? null : `/ui/tail${tailSearch({ ...withoutCursor, cursor: page.next })}`,
      newestUrl: query.cursor === undefined ? null : `/ui/tail${tailSearch(withoutCursor)}`,
    },
  };
}
