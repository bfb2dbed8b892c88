import { z } from 'zod';
import { safeRegexProblem } from '../safe-regex.ts';
import { compileLayout } from './layout.ts';
import { isValidTimeZone } from './time/zones.ts';

/** An IANA zone (`Europe/Berlin`), `UTC`, or a fixed offset (`+05:30`). */
export const timezoneSchema = z.string().min(1).refine(isValidTimeZone, {
  message: 'not a known time zone; use an IANA name such as Europe/Berlin, UTC, or an offset such as +05:30',
});

/** A custom format: a regex with named groups (`timestamp`, `level`, `message`, others → metadata). */
export const customFormatSchema = z.strictObject({
  pattern: z.string().min(1).superRefine((source, ctx) => {
    const problem = safeRegexProblem(source);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    else if (!/\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.test(source)) {
      ctx.addIssue({ code: 'custom', message: 'the regex has no named group; name at least `message`, e.g. (?<message>.*)' });
    }
  }),
  /** Layout of the timestamp group, e.g. `YYYY-MM-DD HH:mm:ss.SSS`; ISO-8601 and epochs need none. */
  timestampFormat: z.string().min(1).superRefine((layout, ctx) => {
    try {
      compileLayout(layout);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not a usable timestamp layout: ${(err as Error).message}` });
    }
  }).optional(),
  /** Zone of times written without one, when the source configures none. */
  timezone: timezoneSchema.optional(),
  /** Lines that do not match the pattern continue the previous entry (default); false: each is its own. */
  multiline: z.boolean().optional(),
});
export type CustomFormat = z.infer<typeof customFormatSchema>;

export const formatsSchema = z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'format names use letters, digits, _ . -'), customFormatSchema);

export const parseSchema = z.strictObject({
  /**
   * The longest a possible multi-line entry is held for continuation lines once its source goes quiet
   * (the bound for a writer that stalls mid-trace, or a reader not at the end of its data).
   */
  multilineTimeoutMs: z.number().int().min(0).max(60_000).default(250),
  /** Quiet after the reader reached the end of the data before a held entry is emitted (src/held-release.ts). */
  multilineGraceMs: z.number().int().min(0).max(60_000).default(3),
  /** Lines of a new source used to choose its format. */
  detectLines: z.number().int().min(1).max(1000).default(20),
});
export type ParseConfig = z.infer<typeof parseSchema>;
