// Silences: alerts whose rule and key match an active silence are recorded and streamed, but not notified.
import { z } from 'zod';
import { isoTime } from '../types.ts';

export interface Silence {
  id: string;
  /** Rule name, exact or with `*` wildcards; undefined matches every rule. */
  rule?: string;
  /** Alert key (groupBy value), exact or with `*` wildcards; undefined matches every key. */
  key?: string;
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy?: string;
  createdAt: number;
}

export interface SilenceJson {
  id: string;
  rule: string | null;
  key: string | null;
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string | null;
  createdAt: string;
  status: 'pending' | 'active' | 'expired';
}

const YEAR_SECONDS = 366 * 24 * 3600;

const dateTime = z.string().min(1).max(64).refine((s) => !Number.isNaN(Date.parse(s)), {
  message: 'expected an ISO-8601 date and time such as 2026-12-01T18:00:00Z',
});

/** What a client sends to create a silence. Give `endsAt` or `duration` (seconds). */
export const silenceInputSchema = z.strictObject({
  rule: z.string().min(1).max(200).optional(),
  key: z.string().min(1).max(1000).optional(),
  startsAt: dateTime.optional(),
  endsAt: dateTime.optional(),
  duration: z.number().positive().max(YEAR_SECONDS).optional(),
  comment: z.string().trim().min(1, { message: 'say why: a comment is required' }).max(1000),
  createdBy: z.string().min(1).max(200).optional(),
}).superRefine((input, ctx) => {
  if (input.rule === undefined && input.key === undefined) {
    ctx.addIssue({ code: 'custom', path: ['rule'], message: 'give rule and/or key to match (use "*" to silence every rule)' });
  }
  if ((input.endsAt === undefined) === (input.duration === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'give either endsAt (a date) or duration (seconds)' });
  }
});
export type SilenceInput = z.infer<typeof silenceInputSchema>;

/** A silence request that cannot be honoured (ends in the past, too many silences). */
export class SilenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SilenceError';
  }
}

/** Expired silences stay listed this long, so "what was silenced last night" can still be answered. */
const EXPIRED_KEPT_MS = 24 * 3600 * 1000;
const MAX_SILENCES = 1000;

interface CompiledSilence {
  silence: Silence;
  rule: ((name: string) => boolean) | undefined;
  key: ((key: string) => boolean) | undefined;
}

export class SilenceStore {
  private readonly items = new Map<string, CompiledSilence>();

  add(input: SilenceInput, now: number): Silence {
    const startsAt = input.startsAt === undefined ? now : Date.parse(input.startsAt);
    const endsAt = input.endsAt !== undefined ? Date.parse(input.endsAt) : startsAt + (input.duration as number) * 1000;
    if (endsAt <= now) throw new SilenceError(`endsAt ${isoTime(endsAt)} is in the past: give a later end`);
    if (endsAt <= startsAt) throw new SilenceError('endsAt must be after startsAt');
    if (endsAt - now > YEAR_SECONDS * 1000) throw new SilenceError('a silence may last at most a year');
    this.purge(now);
    if (this.items.size >= MAX_SILENCES) throw new SilenceError(`too many silences (${MAX_SILENCES}): delete some first`);
    const silence: Silence = { id: crypto.randomUUID(), startsAt, endsAt, comment: input.comment, createdAt: now };
    if (input.rule !== undefined) silence.rule = input.rule;
    if (input.key !== undefined) silence.key = input.key;
    if (input.createdBy !== undefined) silence.createdBy = input.createdBy;
    this.put(silence);
    return silence;
  }

  /** Restores a silence as it was saved. */
  put(silence: Silence): void {
    this.items.set(silence.id, {
      silence,
      rule: silence.rule === undefined ? undefined : wildcardMatcher(silence.rule),
      key: silence.key === undefined ? undefined : wildcardMatcher(silence.key),
    });
  }

  remove(id: string): boolean {
    return this.items.delete(id);
  }

  /** Every silence not yet forgotten, oldest first. */
  list(): Silence[] {
    return [...this.items.values()].map((item) => item.silence);
  }

  get size(): number {
    return this.items.size;
  }

  matches(rule: string, key: string, now: number): boolean {
    for (const item of this.items.values()) {
      const s = item.silence;
      if (s.startsAt > now || s.endsAt <= now) continue;
      if (item.rule !== undefined && !item.rule(rule)) continue;
      if (item.key !== undefined && !item.key(key)) continue;
      return true;
    }
    return false;
  }

  /** Forgets silences that ended more than a day ago; returns whether any was removed. */
  purge(now: number): boolean {
    let removed = false;
    for (const [id, item] of this.items) {
      if (item.silence.endsAt < now - EXPIRED_KEPT_MS) {
        this.items.delete(id);
        removed = true;
      }
    }
    return removed;
  }
}

/** `*` matches any run of characters, `?` one; everything else is literal. */
function wildcardMatcher(spec: string): (value: string) => boolean {
  if (!/[*?]/.test(spec)) return (value) => value === spec;
  const re = new RegExp(`^${spec.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return (value) => re.test(value);
}

export function toSilenceJson(silence: Silence, now: number): SilenceJson {
  return {
    id: silence.id,
    rule: silence.rule ?? null,
    key: silence.key ?? null,
    startsAt: isoTime(silence.startsAt),
    endsAt: isoTime(silence.endsAt),
    comment: silence.comment,
    createdBy: silence.createdBy ?? null,
    createdAt: isoTime(silence.createdAt),
    status: now < silence.startsAt ? 'pending' : now < silence.endsAt ? 'active' : 'expired',
  };
}
