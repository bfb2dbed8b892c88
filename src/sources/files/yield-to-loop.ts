// A file read at full speed must not starve the event loop: between bounded reads (8 chunks) the HTTP
// ingest, timers and the collector's deferred work get a turn, so garbage from the lines just parsed is
// reclaimed before the next reads add more (without it, peak RSS grew past 280 MB on a 1 M-line file).

/** Resolves after pending I/O callbacks and timers ran (setImmediate: after the poll phase). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
