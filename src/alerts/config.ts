import { z } from 'zod';
import { safeRegexProblem } from '../safe-regex.ts';
import { LEVELS } from '../types.ts';
import { parseCondition } from './conditions.ts';
import { FIELD_PATH, FIELD_PATH_HINT } from './fields.ts';

export const RULE_TYPES = ['threshold', 'rate', 'absence', 'new_value', 'new_pattern', 'pattern_spike', 'pattern_stopped'] as const;
export type RuleType = (typeof RULE_TYPES)[number];
/** Rule types fed by the analyzer's anomalies (one alert per pattern) instead of by entries. */
export const ANOMALY_RULE_TYPES: ReadonlySet<RuleType> = new Set(['new_pattern', 'pattern_spike', 'pattern_stopped']);

const WEEK = 7 * 24 * 3600;

const regexSource = z.string().min(1).superRefine((source, ctx) => {
  const problem = safeRegexProblem(source, { ignoreCase: true });
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

const fieldPath = z.string().regex(FIELD_PATH, { message: `expected ${FIELD_PATH_HINT}` });

const condition = z.string().min(1).superRefine((text, ctx) => {
  const parsed = parseCondition(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
});

/** Durations are in seconds. Fields whose default depends on the type are resolved when the rule is compiled. */
export const ruleSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** threshold: ≥ threshold matches in the window; rate: a spike over the previous windows; absence: fewer than
   * threshold matches in the window; new_value: a value of `field` not seen before (after a warm-up);
   * new_pattern, pattern_spike, pattern_stopped: the analyzer found that anomaly for a pattern whose
   * template matches `pattern`, whose source matches `source` and whose lines reach `level`. */
  type: z.enum(RULE_TYPES).default('threshold'),
  pattern: regexSource.optional().describe('case-insensitive regex on the message'),
  level: z.enum(LEVELS).optional().describe('minimum severity'),
  source: z.string().min(1).optional().describe('source name, exact or a glob such as logs/*.log'),
  where: z.array(condition).max(32).optional().describe('conditions on entry fields, all must hold'),
  threshold: z.number().int().min(1).default(1),
  window: z.number().min(1).max(WEEK).default(60),
  cooldown: z.number().min(0).max(WEEK).default(300),
  /** Default: window. */
  resolveAfter: z.number().min(0).max(WEEK).optional(),
  /** Default: cooldown; 0 never repeats. */
  repeatInterval: z.number().min(0).max(WEEK).optional(),
  groupBy: fieldPath.optional(),
  /** Keys (groupBy values, or values of a new_value field) tracked per rule; the least recently seen go first. */
  maxKeys: z.number().int().min(1).max(1_000_000).default(10_000),
  /** rate: how many times the average of the previous windows counts as a spike. Default 3. */
  factor: z.number().min(1).max(1_000_000).optional(),
  /** rate: how many previous windows make the average. Default 5. */
  baseline: z.number().int().min(1).max(24).optional(),
  /** new_value: the field whose new values alert. */
  field: fieldPath.optional(),
  /** new_value: seconds spent learning values before any alert. Default 3600. */
  warmup: z.number().min(0).max(30 * 24 * 3600).optional(),
  message: z.string().min(1).max(2000).optional(),
  notify: z.array(z.string().min(1)).optional(),
}).superRefine((rule, ctx) => {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (rule.type !== 'rate') {
    if (rule.factor !== undefined) problem('factor', `factor applies to rate rules only (this is a ${rule.type} rule)`);
    if (rule.baseline !== undefined) problem('baseline', `baseline applies to rate rules only (this is a ${rule.type} rule)`);
  }
  if (ANOMALY_RULE_TYPES.has(rule.type)) {
    if (rule.groupBy !== undefined) problem('groupBy', `a ${rule.type} rule has one alert per pattern; remove groupBy`);
    if (rule.where !== undefined) problem('where', `where applies to rules on entries; a ${rule.type} rule matches the pattern's template (pattern), source and level`);
  }
  if (rule.type === 'new_value') {
    if (rule.field === undefined) problem('field', 'a new_value rule needs "field", the field whose new values alert (e.g. "metadata.ip")');
    if (rule.groupBy !== undefined) problem('groupBy', 'a new_value rule has one alert per new value of "field"; remove groupBy');
  } else {
    if (rule.field !== undefined) problem('field', `field applies to new_value rules only (this is a ${rule.type} rule); to count per value use groupBy`);
    if (rule.warmup !== undefined) problem('warmup', `warmup applies to new_value rules only (this is a ${rule.type} rule)`);
  }
});

export type RuleConfig = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;

/** The two rules of the original LogWatch. */
export const DEFAULT_RULES: RuleConfig[] = [
  ruleSchema.parse({ name: 'High Error Rate', level: 'ERROR', threshold: 3, window: 60, cooldown: 300 }),
  ruleSchema.parse({ name: 'Connection Failed', pattern: 'connection failed|connection refused', threshold: 1, window: 60, cooldown: 300 }),
];

/**
 * The rules list. Each rule is validated on its own so every message can name the rule it is about
 * (`rules[2].threshold: rule "Brute force": ...`); names must be unique.
 */
export const rulesSchema = z.array(z.unknown()).transform((items, ctx) => {
  const rules: RuleConfig[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const result = ruleSchema.safeParse(item);
    const name = ruleName(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.issues.push({
          ...issue,
          path: [i, ...issue.path],
          message: `${name === undefined ? `rule ${i + 1}` : `rule "${name}"`}: ${issue.message}`,
          input: item,
        } as (typeof ctx.issues)[number]);
      }
      return;
    }
    if (seen.has(result.data.name)) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate rule name "${result.data.name}": rule names must be unique` });
    }
    seen.add(result.data.name);
    rules.push(result.data);
  });
  return rules;
}) as unknown as z.ZodType<RuleConfig[], RuleInput[]>;

function ruleName(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const name = (item as Record<string, unknown>).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
