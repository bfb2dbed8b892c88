/** @jsxImportSource hono/jsx */
// Silencing from the dashboard: an htmx form posts here and gets HTML back. The alert engine owns
// silences (validation included); this only turns form fields into its input and its answer into HTML.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { PANEL_IDS } from '../../../views/dashboard.tsx';
import { EMPTY_SILENCE_FORM, SilenceFeedback, SilenceList, SILENCE_DURATIONS } from '../../../views/silences.tsx';
import { duration } from '../../../views/format.ts';
import { SilenceError, silenceInputSchema, type SilenceInput } from '../../alerts/index.ts';
import type { AppContext } from '../context.ts';
import { validationMessage } from '../errors.ts';
import { partial, renderHtml } from './fragments.tsx';

const formSchema = z.object({
  rule: z.string().trim().max(200).optional(),
  key: z.string().trim().max(1000).optional(),
  duration: z.coerce.number().int().positive().max(366 * 24 * 3600).default(EMPTY_SILENCE_FORM.duration),
  comment: z.string().max(1000).optional(),
  createdBy: z.string().trim().max(200).optional(),
});

/**
 * Refuses requests another site's page made the browser send (CSRF): browsers mark those with
 * Sec-Fetch-Site or an Origin that is not this host. curl and scripts send neither and are let through.
 */
export function isCrossSite(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== new URL(c.req.url).host;
  } catch {
    return true;
  }
}

function listHtml(ctx: AppContext): string {
  return renderHtml(<SilenceList silences={ctx.silences.silences()} now={ctx.clock()} />);
}

function durationLabel(seconds: number): string {
  return SILENCE_DURATIONS.find((d) => d.seconds === seconds)?.label ?? duration(seconds * 1000);
}

export function silenceRoutes(ctx: AppContext): Hono {
  const routes = new Hono();
  const limit = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('silence form too large', 413) });

  routes.post('/ui/silences', limit, async (c) => {
    if (isCrossSite(c)) return c.text('cross-site request refused', 403);
    const body = await c.req.parseBody();
    const fields = formSchema.safeParse(Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')));
    const reply = (status: 200 | 422, ok: boolean, message: string) => {
      // Without htmx (a plain form post) there is no fragment to show: back to the dashboard.
      if (c.req.header('hx-request') !== 'true') return c.redirect('/#silences-card', 303);
      return c.html(renderHtml(<SilenceFeedback ok={ok} message={message} />) + partial(PANEL_IDS.silences, 'innerHTML', listHtml(ctx)), status);
    };
    if (!fields.success) return reply(422, false, validationMessage(fields.error));
    const f = fields.data;
    const input: Partial<SilenceInput> = { rule: f.rule === undefined || f.rule === '' ? '*' : f.rule, duration: f.duration, comment: f.comment ?? '' };
    if (f.key !== undefined && f.key !== '') input.key = f.key;
    if (f.createdBy !== undefined && f.createdBy !== '') input.createdBy = f.createdBy;
    const parsed = silenceInputSchema.safeParse(input);
    if (!parsed.success) return reply(422, false, validationMessage(parsed.error));
    try {
      const silence = ctx.silences.addSilence(parsed.data);
      const what = `${silence.rule === null || silence.rule === '*' ? 'all rules' : silence.rule}${silence.key !== null ? ` / ${silence.key}` : ''}`;
      return reply(200, true, `Silenced ${what} for ${durationLabel(f.duration)} (until ${silence.endsAt}).`);
    } catch (err) {
      if (err instanceof SilenceError) return reply(422, false, err.message);
      throw err;
    }
  });

  routes.delete('/ui/silences/:id', (c) => {
    if (isCrossSite(c)) return c.text('cross-site request refused', 403);
    ctx.silences.removeSilence(c.req.param('id'));
    return c.html(listHtml(ctx));
  });

  return routes;
}
