// Alert state on disk (cooldowns and firing keys per rule, learned values, silences, recent alerts),
// so a restart that re-reads lines does not re-send what was already sent.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pid } from 'node:process';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { LEVELS, type Alert, type LogEntry } from '../types.ts';
import type { RuleSnapshot } from './rule.ts';
import type { Silence } from './silences.ts';

export const STATE_FILE_NAME = 'alerts.json';

const entrySchema = z.object({
  id: z.number(),
  time: z.number(),
  level: z.enum(LEVELS),
  message: z.string(),
  source: z.string(),
  format: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  raw: z.string(),
  receivedAt: z.number(),
});

const alertSchema = z.object({
  id: z.number().int(),
  rule: z.string(),
  key: z.string(),
  message: z.string(),
  time: z.number(),
  count: z.number(),
  logs: z.array(entrySchema),
  state: z.enum(['firing', 'resolved']),
  silenced: z.boolean().optional(),
});

const keySchema = z.object({
  key: z.string(),
  firing: z.boolean(),
  notified: z.boolean(),
  firedAt: z.number(),
  lastFiredAt: z.number().nullable(),
  lastHeldAt: z.number(),
  message: z.string(),
});

const silenceSchema = z.object({
  id: z.string(),
  rule: z.string().optional(),
  key: z.string().optional(),
  startsAt: z.number(),
  endsAt: z.number(),
  comment: z.string(),
  createdBy: z.string().optional(),
  createdAt: z.number(),
});

const stateSchema = z.object({
  version: z.literal(1),
  savedAt: z.number(),
  lastId: z.number().int().min(0),
  totalAlerts: z.number().int().min(0),
  rules: z.record(z.string(), z.object({ identity: z.string(), startedAt: z.number(), keys: z.array(keySchema) })),
  silences: z.array(silenceSchema),
  recent: z.array(alertSchema),
});

export interface AlertState {
  version: 1;
  savedAt: number;
  lastId: number;
  totalAlerts: number;
  rules: Record<string, RuleSnapshot>;
  silences: Silence[];
  recent: Alert[];
}

export function stateFilePath(stateDir: string): string {
  return join(stateDir, STATE_FILE_NAME);
}

/** The saved state, or undefined when there is none or it cannot be trusted (then alerting starts fresh). */
export function readAlertState(path: string, logger: Logger): AlertState | undefined {
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    logger.warn(`alert state ${path} is unreadable (${(err as Error).message}); alert cooldowns start fresh`);
    return undefined;
  }
  const result = stateSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    logger.warn(`alert state ${path} is not in the expected shape (${issue.path.join('.')}: ${issue.message}); alert cooldowns start fresh`);
    return undefined;
  }
  return result.data as AlertState;
}

/**
 * Writes the state atomically: a reader (or a restart after a crash) sees the old file or the new one,
 * never half of one. Synchronous on purpose: it is small, rare (debounced, or once per batch that
 * fired an alert) and must be on disk before the notifier sends what it records.
 */
export function writeAlertState(path: string, state: AlertState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}

/** Longest text kept per sample entry in the state file, so a 64 KiB line cannot bloat it. */
const SAVED_TEXT = 2048;

/** A sample entry as saved: long text cut, large metadata dropped. */
export function compactEntry(entry: LogEntry): LogEntry {
  let metadata = entry.metadata;
  try {
    if (JSON.stringify(metadata).length > SAVED_TEXT) metadata = { truncated: true };
  } catch {
    metadata = {};
  }
  return {
    id: entry.id,
    time: entry.time,
    level: entry.level,
    message: cut(entry.message),
    source: cut(entry.source),
    format: entry.format,
    metadata,
    raw: cut(entry.raw),
    receivedAt: entry.receivedAt,
  };
}

function cut(text: string): string {
  return text.length > SAVED_TEXT ? `${text.slice(0, SAVED_TEXT)}…` : text;
}
