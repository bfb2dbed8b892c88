// `where` conditions on entry fields, written as short strings in the config:
//   "metadata.status >= 500"   "metadata.user == \"root\""   "metadata.path =~ \"^/admin\""
//   "metadata.user exists"     "metadata.session missing"
import { compileSafeRegex, safeRegexProblem } from '../safe-regex.ts';
import type { LogEntry } from '../types.ts';
import { FIELD_PATH, FIELD_PATH_HINT, fieldReader, type FieldReader } from './fields.ts';

export type ConditionOperator = '==' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~' | 'exists' | 'missing';

export interface Condition {
  field: string;
  op: ConditionOperator;
  /** The literal compared with: a number, string, boolean or null (a regex source for =~ and !~). */
  value: number | string | boolean | null;
}

export type ConditionResult = { ok: true; condition: Condition } | { ok: false; error: string };

export const CONDITION_HINT = 'write FIELD OP VALUE, e.g. "metadata.status >= 500" or \'metadata.user == "root"\' ' +
  '(OP is one of == != > >= < <= =~ !~), or "FIELD exists" / "FIELD missing"';

const BINARY = /^\s*(\S+?)\s*(==|!=|>=|<=|=~|!~|>|<)\s*(.*?)\s*$/;
const UNARY = /^\s*(\S+)\s+(exists|missing)\s*$/;
const BARE_WORD = /^[^\s"'=<>!~]+$/;

export function parseCondition(text: string): ConditionResult {
  const unary = UNARY.exec(text);
  if (unary !== null) {
    const field = unary[1];
    if (!FIELD_PATH.test(field)) return { ok: false, error: `"${field}" is not a field: use ${FIELD_PATH_HINT}` };
    return { ok: true, condition: { field, op: unary[2] as ConditionOperator, value: null } };
  }
  const binary = BINARY.exec(text);
  if (binary === null) return { ok: false, error: `cannot read condition "${text}": ${CONDITION_HINT}` };
  const [, field, op, literal] = binary;
  if (!FIELD_PATH.test(field)) return { ok: false, error: `"${field}" is not a field: use ${FIELD_PATH_HINT}` };
  if (literal === '') return { ok: false, error: `condition "${text}" has no value after ${op}: ${CONDITION_HINT}` };
  const value = parseLiteral(literal);
  if (value === undefined) {
    return { ok: false, error: `cannot read the value ${literal} in "${text}": use a number, a "quoted string", true, false or null` };
  }
  const operator = op as ConditionOperator;
  if ((operator === '>' || operator === '>=' || operator === '<' || operator === '<=') && typeof value !== 'number') {
    return { ok: false, error: `${op} in "${text}" compares numbers: the value must be a number` };
  }
  if (operator === '=~' || operator === '!~') {
    if (typeof value !== 'string') return { ok: false, error: `${op} in "${text}" needs a "quoted regular expression"` };
    // A `where` regex is an admin's, the field's value anyone's: linear-time engine (src/safe-regex.ts).
    const problem = safeRegexProblem(value, { ignoreCase: true });
    if (problem !== null) return { ok: false, error: `"${value}" in "${text}" is not usable: ${problem}` };
  }
  return { ok: true, condition: { field, op: operator, value } };
}

function parseLiteral(literal: string): Condition['value'] | undefined {
  if (literal.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(literal);
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  if (literal === 'true') return true;
  if (literal === 'false') return false;
  if (literal === 'null') return null;
  if (/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(literal)) return Number(literal);
  return BARE_WORD.test(literal) ? literal : undefined;
}

export type EntryTest = (entry: LogEntry) => boolean;

/** A number read from a field: numbers as they are, numeric strings converted (parsers differ). */
function numeric(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function equals(actual: unknown, expected: Condition['value']): boolean {
  if (actual === undefined) return false;
  if (typeof expected === 'number') return numeric(actual) === expected;
  if (typeof expected === 'string') {
    return typeof actual === 'string' ? actual === expected : (typeof actual === 'number' || typeof actual === 'boolean') && String(actual) === expected;
  }
  return actual === expected;
}

/** Compiles a parsed condition into a test; the per-entry work is one field read and one comparison. */
export function compileCondition(condition: Condition): EntryTest {
  const read: FieldReader = fieldReader(condition.field);
  const { value } = condition;
  switch (condition.op) {
    case 'exists': return (e) => read(e) !== undefined;
    case 'missing': return (e) => read(e) === undefined;
    case '==': return (e) => equals(read(e), value);
    case '!=': return (e) => !equals(read(e), value);
    case '>': { const n = value as number; return (e) => numeric(read(e)) > n; }
    case '>=': { const n = value as number; return (e) => numeric(read(e)) >= n; }
    case '<': { const n = value as number; return (e) => numeric(read(e)) < n; }
    case '<=': { const n = value as number; return (e) => numeric(read(e)) <= n; }
    case '=~':
    case '!~': {
      const re = compileSafeRegex(value as string, { ignoreCase: true });
      const negate = condition.op === '!~';
      return (e) => {
        const actual = read(e);
        const matched = actual !== undefined && actual !== null && re.test(typeof actual === 'string' ? actual : String(actual));
        return matched !== negate;
      };
    }
  }
}
