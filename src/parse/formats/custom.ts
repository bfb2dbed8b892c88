// Custom formats from config: `formats: { NAME: { pattern, timestampFormat?, timezone?, multiline? } }`.
// Named groups `timestamp`, `level` and `message` fill the entry; every other named group that
// matched goes to metadata.
import { compileSafeRegex, type SafeRegex } from '../../safe-regex.ts';
import type { Level, LogEntry } from '../../types.ts';
import type { CustomFormat } from '../config.ts';
import { makeEntry, timeOrReceived, type FormatSpec, type LineParser, type ParseContext } from '../format.ts';
import { compileLayout, parseWithLayout, type TimestampLayout } from '../layout.ts';
import { levelFromValue } from '../level.ts';
import { TimeResolver } from '../time/resolver.ts';
import { parseTimeText } from '../time/timestamps.ts';

interface CompiledCustom {
  name: string;
  re: SafeRegex;
  layout: TimestampLayout | undefined;
  timezone: string | undefined;
  multiline: boolean;
}

class CustomParser implements LineParser {
  readonly name: string;
  readonly multiline: 'any' | 'none';
  private readonly time: TimeResolver;

  constructor(private readonly spec: CompiledCustom, private readonly ctx: ParseContext) {
    this.name = spec.name;
    this.multiline = spec.multiline ? 'any' : 'none';
    this.time = new TimeResolver(() => ctx.time.now());
  }

  parse(line: string): LogEntry | null {
    const m = this.spec.re.exec(line);
    if (m === null) return null;
    const groups = m.groups;
    const metadata: Record<string, unknown> = {};
    for (const key in groups) {
      if (key !== 'timestamp' && key !== 'level' && key !== 'message' && groups[key] !== undefined) metadata[key] = groups[key];
    }
    let time = this.ctx.receivedAt;
    const written = groups.timestamp;
    if (written !== undefined) {
      // The source's zone wins over the format's, which wins over the process's.
      this.time.setZone(this.ctx.time.zone ?? this.spec.timezone);
      const t = this.spec.layout !== undefined ? parseWithLayout(written, this.spec.layout, this.time) : parseTimeText(written, this.time);
      time = timeOrReceived(this.ctx, t, written, metadata);
    }
    const level: Level = groups.level === undefined ? 'UNKNOWN' : levelFromValue(groups.level) ?? 'UNKNOWN';
    const message = groups.message ?? line;
    return makeEntry(this.ctx, time, level, message, this.spec.name, metadata, line);
  }
}

/** A FormatSpec for a validated config entry (the schema has checked the regex and the layout). */
export function customFormat(name: string, format: CustomFormat): FormatSpec {
  const spec: CompiledCustom = {
    name,
    // Linear-time engine: the format is an admin's, the lines anyone's (src/safe-regex.ts).
    re: compileSafeRegex(format.pattern),
    layout: format.timestampFormat === undefined ? undefined : compileLayout(format.timestampFormat),
    timezone: format.timezone,
    multiline: format.multiline ?? true,
  };
  return { name, aliases: [], create: (ctx) => new CustomParser(spec, ctx) };
}
