import { z } from 'zod';
import { LEVELS } from '../types.ts';

const regexSource = z.string().min(1).superRefine((source, ctx) => {
  try {
    new RegExp(source, 'i');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
  }
});

export const ruleSchema = z.strictObject({
  name: z.string().min(1),
  pattern: regexSource.optional().describe('case-insensitive regex on the message'),
  level: z.enum(LEVELS).optional().describe('minimum severity'),
  source: z.string().min(1).optional(),
  threshold: z.number().int().min(1).default(1),
  /** Seconds. */
  window: z.number().positive().max(7 * 24 * 3600).default(60),
  /** Seconds. */
  cooldown: z.number().min(0).max(7 * 24 * 3600).default(300),
  groupBy: z.string().min(1).optional(),
  message: z.string().min(1).optional(),
  notify: z.array(z.string().min(1)).optional(),
});
export type RuleConfig = z.infer<typeof ruleSchema>;

/** The two rules of the original LogWatch. */
export const DEFAULT_RULES: RuleConfig[] = [
  { name: 'High Error Rate', level: 'ERROR', threshold: 3, window: 60, cooldown: 300 },
  { name: 'Connection Failed', pattern: 'connection failed|connection refused', threshold: 1, window: 60, cooldown: 300 },
];

export const rulesSchema = z.array(ruleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate rule name "${rule.name}"` });
    seen.add(rule.name);
  });
});
