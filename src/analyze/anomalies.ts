// Anomalies found without a rule, per source: a new pattern (after a warm-up), a pattern spiking over
// its own baseline, a steady pattern that stopped, and a jump in a source's errors per minute. Each
// finding fires once and resolves once; the state (baselines, intervals, what is firing) is saved
// with the patterns, so a restart neither re-fires what already fired nor forgets a baseline.
//
// Time is the injected clock (receive time), in whole minutes for rates: `observe` runs per entry
// and only counts (a spike fires on the line that crosses the threshold, within its minute);
// `tick` (once a second) closes minutes, resolves, and looks for silences.
import { atLeast, type Clock, type Level } from '../types.ts';
import type { AnomalyEvent, AnomalyOptions } from './types.ts';

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  warmupMs: 10 * 60_000,
  newPatternMinLevel: 'UNKNOWN',
  newPatternResolveMs: 10 * 60_000,
  spikeFactor: 5,
  spikeMinCount: 20,
  spikeMinMinutes: 10,
  spikeOverPeak: 2,
  stoppedIntervals: 5,
  stoppedMinMs: 60_000,
  stoppedMinOccurrences: 20,
  stoppedMinHistoryMs: 30 * 60_000,
  stoppedMaxVariation: 0.5,
};

const MINUTE = 60_000;
/** Weight of the newest minute in a baseline: about the last 10 minutes count. */
const ALPHA = 0.1;
/** Lines closer together than this are one occurrence for the interval of a steady pattern. */
const SAME_OCCURRENCE_MS = 1000;
/** Weight of the newest interval in a pattern's usual interval. */
const GAP_ALPHA = 0.2;
/** Per closed minute, the busiest recent minute fades by this: a half-life of six hours. */
const PEAK_DECAY = Math.pow(0.5, 1 / 360);
/** Half-life of the longest recent interval. */
const GAP_PEAK_HALF_LIFE_MS = 6 * 3600_000;

/** A minute-rate tracker: lines in the current minute and a baseline per minute over closed ones. */
interface Rate {
  minute: number;
  count: number;
  baseline: number;
  /** Closed minutes with at least one line: a bursty pattern must show its bursts before it can spike. */
  minutes: number;
  /** The busiest recent minute (fading): real logs are bursty, a spike must beat their usual bursts. */
  peak: number;
  /** Count in the current minute at which it spikes; 0 while not eligible. */
  spikeAt: number;
  spiking: boolean;
}

export interface PatternTrack extends Rate {
  source: string;
  template: string;
  level: Level;
  lastSeen: number;
  /** Usual interval between occurrences (ms), its variance, and how many intervals were seen. */
  gapMean: number;
  gapVar: number;
  gaps: number;
  /** The longest recent interval (fading): a pattern with quiet spells is not stopped by one. */
  gapPeak: number;
  firstSeen: number;
  stopped: boolean;
}

export interface SourceTrack extends Rate {
  firstSeen: number;
  /** Errors (ERROR and worse) in the current minute; `count`/`baseline` are about errors. */
  lines: number;
}

export interface FreshPattern {
  pattern: string;
  source: string;
  template: string;
  level: Level;
  time: number;
}

export interface DetectorState {
  patterns: Record<string, PatternTrack>;
  sources: Record<string, SourceTrack>;
  fresh: FreshPattern[];
}

const newRate = (minute: number): Rate => ({ minute, count: 0, baseline: 0, minutes: 0, peak: 0, spikeAt: 0, spiking: false });

export class AnomalyDetector {
  private readonly options: AnomalyOptions;
  private patterns = new Map<string, PatternTrack>();
  private sources = new Map<string, SourceTrack>();
  private fresh: FreshPattern[] = [];
  /** A silence is measured from here at the earliest: LogWatch being down is not a pattern stopping. */
  private readonly since: number;
  /** The last source's tracker: a batch is one source. */
  private lastSourceName: string | undefined;
  private lastSource: SourceTrack | undefined;

  constructor(
    private readonly clock: Clock,
    options: Partial<AnomalyOptions> = {},
  ) {
    this.options = { ...DEFAULT_ANOMALY_OPTIONS, ...options };
    this.since = clock();
  }

  /**
   * Counts `n` entries of `pattern` received now (`errors` of them ERROR or worse, `level` the most
   * severe); `created` when the miner made the pattern for one of them.
   */
  observe(
    source: string, pattern: string, template: string, level: Level, created: boolean, out: AnomalyEvent[],
    now = this.clock(), n = 1, errors = atLeast(level, 'ERROR') ? 1 : 0,
  ): void {
    const minute = Math.floor(now / MINUTE);
    let src = source === this.lastSourceName ? this.lastSource : this.sources.get(source);
    if (src === undefined) {
      src = { ...newRate(minute), firstSeen: now, lines: 0 };
      this.sources.set(source, src);
    }
    this.lastSourceName = source;
    this.lastSource = src;
    if (src.minute !== minute) this.rollSource(source, src, minute, now, out);
    src.lines += n;
    const warm = now - src.firstSeen >= this.options.warmupMs;
    if (errors > 0) {
      src.count += errors;
      if (!src.spiking && src.spikeAt > 0 && src.count >= src.spikeAt) {
        src.spiking = true;
        out.push(this.event('error_rate', 'firing', source, now, src.count, src.baseline, `Error rate jump in ${source}: ${src.count} errors this minute, usually ${src.baseline.toFixed(1)}`));
      }
    }

    let track = this.patterns.get(pattern);
    if (track === undefined) {
      track = { ...newRate(minute), source, template, level, lastSeen: now, gapMean: 0, gapVar: 0, gaps: 0, gapPeak: 0, firstSeen: now, stopped: false };
      this.patterns.set(pattern, track);
      if (created && warm && atLeast(level, this.options.newPatternMinLevel)) {
        this.fresh.push({ pattern, source, template, level, time: now });
        out.push({ ...this.event('new_pattern', 'firing', source, now, 1, 0, `New pattern in ${source}: ${template}`), pattern, template, level });
      }
    } else {
      if (track.minute !== minute) this.rollPattern(pattern, track, minute, now, out);
      const gap = now - track.lastSeen;
      if (gap >= SAME_OCCURRENCE_MS) {
        if (track.stopped) {
          track.stopped = false;
          out.push(this.patternEvent('pattern_stopped', 'resolved', pattern, track, now, 0, track.gapMean, `Pattern back in ${source} after ${Math.round(gap / 1000)} s: ${track.template}`));
        }
        this.addGap(track, gap);
      }
      if (now > track.lastSeen) track.lastSeen = now;
    }
    track.template = template;
    if (!atLeast(track.level, level)) track.level = level;
    track.count += n;
    if (!track.spiking && track.spikeAt > 0 && track.count >= track.spikeAt) {
      track.spiking = true;
      out.push(this.patternEvent('pattern_spike', 'firing', pattern, track, now, track.count, track.baseline, `Pattern spike in ${source}: ${track.count} lines this minute, usually ${track.baseline.toFixed(1)}: ${template}`));
    }
  }

  /** Closes finished minutes, resolves what is over, and finds steady patterns that went quiet. */
  tick(out: AnomalyEvent[]): void {
    const now = this.clock();
    const minute = Math.floor(now / MINUTE);
    for (const [source, src] of this.sources) if (src.minute !== minute) this.rollSource(source, src, minute, now, out);
    for (const [pattern, track] of this.patterns) {
      if (track.minute !== minute) this.rollPattern(pattern, track, minute, now, out);
      if (!track.stopped && this.isSteady(track)) {
        const absent = now - Math.max(track.lastSeen, this.since);
        if (absent > Math.max(this.options.stoppedIntervals * Math.max(track.gapMean, track.gapPeak), this.options.stoppedMinMs)) {
          track.stopped = true;
          out.push(this.patternEvent('pattern_stopped', 'firing', pattern, track, now, absent, track.gapMean, `Pattern stopped in ${track.source}: no line for ${Math.round(absent / 1000)} s, usually every ${Math.round(track.gapMean / 1000)} s: ${track.template}`));
        }
      }
    }
    while (this.fresh.length > 0 && now - this.fresh[0]!.time >= this.options.newPatternResolveMs) {
      const f = this.fresh.shift()!;
      out.push({ ...this.event('new_pattern', 'resolved', f.source, now, 0, 0, `New pattern in ${f.source} is known now: ${f.template}`), pattern: f.pattern, template: f.template, level: f.level });
    }
  }

  /** Findings firing now (for a dashboard opened later). */
  active(): AnomalyEvent[] {
    const out: AnomalyEvent[] = [];
    for (const f of this.fresh) out.push({ ...this.event('new_pattern', 'firing', f.source, f.time, 1, 0, `New pattern in ${f.source}: ${f.template}`), pattern: f.pattern, template: f.template, level: f.level });
    for (const [pattern, t] of this.patterns) {
      if (t.spiking) out.push(this.patternEvent('pattern_spike', 'firing', pattern, t, t.lastSeen, t.count, t.baseline, `Pattern spike in ${t.source}: ${t.template}`));
      if (t.stopped) out.push(this.patternEvent('pattern_stopped', 'firing', pattern, t, t.lastSeen, 0, t.gapMean, `Pattern stopped in ${t.source}: ${t.template}`));
    }
    for (const [source, s] of this.sources) if (s.spiking) out.push(this.event('error_rate', 'firing', source, this.clock(), s.count, s.baseline, `Error rate jump in ${source}`));
    return out;
  }

  /** Drops a pattern the miner evicted; `into` takes it over when it was merged. */
  forget(pattern: string, into?: string): void {
    const track = this.patterns.get(pattern);
    this.patterns.delete(pattern);
    if (track !== undefined && into !== undefined) {
      const target = this.patterns.get(into);
      if (target !== undefined) target.baseline += track.baseline;
    }
    this.fresh = this.fresh.filter((f) => f.pattern !== pattern);
  }

  save(): DetectorState {
    return { patterns: Object.fromEntries(this.patterns), sources: Object.fromEntries(this.sources), fresh: [...this.fresh] };
  }

  load(state: DetectorState): void {
    this.patterns = new Map(Object.entries(state.patterns));
    this.sources = new Map(Object.entries(state.sources));
    this.lastSourceName = undefined;
    this.lastSource = undefined;
    this.fresh = [...state.fresh];
  }

  /** Seen long enough, often enough and regularly enough (a heartbeat, a cron line) to miss it. */
  private isSteady(t: PatternTrack): boolean {
    if (t.gaps < this.options.stoppedMinOccurrences || t.gapMean <= 0) return false;
    if (t.lastSeen - t.firstSeen < this.options.stoppedMinHistoryMs) return false;
    return Math.sqrt(t.gapVar) / t.gapMean <= this.options.stoppedMaxVariation;
  }

  private addGap(t: PatternTrack, gap: number): void {
    if (t.gaps === 0) t.gapMean = gap;
    else {
      const diff = gap - t.gapMean;
      t.gapMean += GAP_ALPHA * diff;
      t.gapVar = (1 - GAP_ALPHA) * (t.gapVar + GAP_ALPHA * diff * diff);
    }
    t.gaps++;
    t.gapPeak = Math.max(gap, t.gapPeak * Math.pow(0.5, gap / GAP_PEAK_HALF_LIFE_MS));
  }

  /** Closes the minutes from `r.minute` up to before `minute`; true when a spike ended. */
  private roll(r: Rate, minute: number, eligible: boolean): boolean {
    const closed = r.count;
    const skipped = Math.min(minute - r.minute - 1, 10_000);
    let ended = false;
    if (r.spiking && (closed < this.threshold(r) || skipped > 0)) {
      r.spiking = false;
      ended = true;
    }
    r.baseline += ALPHA * (closed - r.baseline);
    r.peak = Math.max(closed, r.peak * PEAK_DECAY);
    if (skipped > 0) {
      r.baseline *= Math.pow(1 - ALPHA, skipped);
      r.peak *= Math.pow(PEAK_DECAY, skipped);
    }
    if (closed > 0) r.minutes++;
    r.minute = minute;
    r.count = 0;
    r.spikeAt = eligible ? this.threshold(r) : 0;
    return ended;
  }

  /** Lines in a minute that make a spike: over the baseline by the factor, and over the usual bursts. */
  private threshold(r: Rate): number {
    const o = this.options;
    return Math.max(o.spikeMinCount, Math.ceil(o.spikeFactor * r.baseline), Math.ceil(o.spikeOverPeak * r.peak) + 1);
  }

  private rollPattern(pattern: string, t: PatternTrack, minute: number, now: number, out: AnomalyEvent[]): void {
    const src = this.sources.get(t.source);
    const warm = src !== undefined && now - src.firstSeen >= this.options.warmupMs;
    const closed = t.count;
    if (this.roll(t, minute, warm && t.minutes + (closed > 0 ? 1 : 0) >= this.options.spikeMinMinutes)) {
      out.push(this.patternEvent('pattern_spike', 'resolved', pattern, t, now, closed, t.baseline, `Pattern spike over in ${t.source}: ${t.template}`));
    }
  }

  private rollSource(source: string, s: SourceTrack, minute: number, now: number, out: AnomalyEvent[]): void {
    const closed = s.count;
    s.lines = 0;
    // A source's errors need no history of errors: zero errors a minute is a baseline too.
    if (this.roll(s, minute, now - s.firstSeen >= this.options.warmupMs)) {
      out.push(this.event('error_rate', 'resolved', source, now, closed, s.baseline, `Error rate back to usual in ${source}`));
    }
  }

  private event(kind: AnomalyEvent['kind'], state: AnomalyEvent['state'], source: string, time: number, value: number, baseline: number, message: string): AnomalyEvent {
    return { kind, state, source, time, value, baseline, message };
  }

  private patternEvent(kind: AnomalyEvent['kind'], state: AnomalyEvent['state'], pattern: string, t: PatternTrack, time: number, value: number, baseline: number, message: string): AnomalyEvent {
    return { kind, state, source: t.source, pattern, template: t.template, level: t.level, time, value, baseline, message };
  }
}
