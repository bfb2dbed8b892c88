// `POST /ui/rules/test`: the dashboard's "Test on history", answered with an HTML fragment. It runs
// the same testRule as POST /api/rules/test on an existing rule's config. It changes nothing, but it
// is a POST: the app-wide gate asks `admin` of it and the same-origin check applies, like the API route.
import { Hono } from 'hono';
import { z } from 'zod';
import { RuleTestError, RuleTestOutcome, RULE_TEST_RANGES } from '../../views/rule-test.tsx';
import type { HistoryReader } from '../store/history/index.ts';
import type { Clock } from '../types.ts';
import type { AlertView } from './context.ts';
import { validationMessage } from './errors.ts';
import { testRule } from './history-api.ts';
import { jsonBodyLimit } from './middleware/body-limit.ts';
import { renderHtml } from './ui/fragments.tsx';

const formSchema = z.object({
  rule: z.string().trim().min(1, 'choose a rule').max(200),
  from: z.enum(RULE_TEST_RANGES.map((r) => r.value) as [string, ...string[]]),
});

export function ruleTestFormRoutes(alerts: Pick<AlertView, 'rules'>, history: HistoryReader, clock: Clock): Hono {
  const routes = new Hono();
  routes.post('/ui/rules/test', jsonBodyLimit(4096, 'a rule test from the dashboard is a rule name and a range'), async (c) => {
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody();
    } catch {
      return c.json({ error: 'the body must be a form (application/x-www-form-urlencoded or multipart/form-data)' }, 400);
    }
    const fail = (message: string) => c.html(renderHtml(RuleTestError({ message })), 422);
    const fields = formSchema.safeParse(Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')));
    if (!fields.success) return fail(validationMessage(fields.error));
    const rule = alerts.rules().find((r) => r.name === fields.data.rule);
    if (rule === undefined) return fail(`no rule named "${fields.data.rule}" (it may have been removed by a reload)`);
    const result = await testRule(rule.config, fields.data.from, undefined, history, clock);
    if (!result.ok) return fail(result.error);
    return c.html(renderHtml(RuleTestOutcome({ result: result.value })));
  });
  return routes;
}
