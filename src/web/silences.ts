// Every route that changes silences, in one place: the JSON API (`/api/silences`, for curl and scripts)
// and the dashboard's htmx form (`/ui/silences`, answered with HTML), plus notifier delivery status.
// The alert engine owns silences, validation included; this only turns requests into its input and its
// answer into JSON or HTML. Cross-site refusal and body limits come from the app's middleware and
// jsonBodyLimit, not from here.
import { Hono } from 'hono';
import { z } from 'zod';
import { PANEL_IDS } from '../../views/dashboard.tsx';
import { duration } from '../../views/format.ts';
import { EMPTY_SILENCE_FORM, SilenceFeedback, SilenceList, SILENCE_DURATIONS } from '../../views/silences.tsx';
import { SilenceError, silenceInputSchema, type SilenceInput } from '../alerts/index.ts';
import { formatPath } from '../config/errors.ts';
import type { Clock } from '../types.ts';
import type { NotifierStatus, SilenceStore } from './context.ts';
import { validationMessage } from './errors.ts';
import { jsonBodyLimit } from './middleware/body-limit.ts';
import { partial, renderHtml } from './ui/fragments.tsx';

const MAX_BODY = 16 * 1024;
const bodyLimit = () => jsonBodyLimit(MAX_BODY, 'a silence is a rule, a key, a duration and a comment');

/** API form posts: fields arrive as strings; empty ones mean "not given", and duration is a number of seconds. */
function fromForm(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    out[name] = name === 'duration' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  }
  return out;
}

/** `GET/POST /api/silences`, `DELETE /api/silences/:id` and `GET /api/notifiers` (JSON). */
export function alertRoutes(engine: SilenceStore, notifiers: NotifierStatus): Hono {
  const app = new Hono();

  app.get('/api/silences', (c) => c.json(engine.silences()));

  app.post('/api/silences', bodyLimit(), async (c) => {
    const type = c.req.header('content-type') ?? '';
    let body: unknown;
    try {
      if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
        body = fromForm(await c.req.parseBody());
      } else body = await c.req.json();
    } catch {
      return c.json({ error: 'the body must be a JSON object such as {"rule":"High Error Rate","duration":3600,"comment":"deploy"}' }, 400);
    }
    const parsed = silenceInputSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : `field ${formatPath(issue.path)}: ${issue.message}`;
      return c.json({ error: `invalid silence: ${field}` }, 400);
    }
    try {
      return c.json(engine.addSilence(parsed.data), 201);
    } catch (err) {
      if (err instanceof SilenceError) return c.json({ error: err.message }, 400);
      throw err;
    }
  });

  app.delete('/api/silences/:id', (c) => {
    const id = c.req.param('id');
    if (!engine.removeSilence(id)) return c.json({ error: `no silence with id ${id} (GET /api/silences lists them)` }, 404);
    return c.json({ deleted: id });
  });

  app.get('/api/notifiers', (c) => c.json(notifiers.status()));

  return app;
}

const formSchema = z.object({
  rule: z.string().trim().max(200).optional(),
  key: z.string().trim().max(1000).optional(),
  duration: z.coerce.number().int().positive().max(366 * 24 * 3600).default(EMPTY_SILENCE_FORM.duration),
  comment: z.string().max(1000).optional(),
  createdBy: z.string().trim().max(200).optional(),
});

function durationLabel(seconds: number): string {
  return SILENCE_DURATIONS.find((d) => d.seconds === seconds)?.label ?? duration(seconds * 1000);
}

/** `POST /ui/silences` and `DELETE /ui/silences/:id`: the dashboard's form, answered with HTML fragments. */
export function silenceFormRoutes(engine: SilenceStore, clock: Clock): Hono {
  const routes = new Hono();
  const listHtml = () => renderHtml(SilenceList({ silences: engine.silences(), now: clock() }));

  routes.post('/ui/silences', bodyLimit(), async (c) => {
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody();
    } catch {
      // A broken multipart body (no final boundary...) is the client's error, not a 500.
      return c.json({ error: 'the body must be a form (application/x-www-form-urlencoded or multipart/form-data)' }, 400);
    }
    const fields = formSchema.safeParse(Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')));
    const reply = (status: 200 | 422, ok: boolean, message: string) => {
      // Without htmx (a plain form post) there is no fragment to show: back to the dashboard.
      if (c.req.header('hx-request') !== 'true') return c.redirect('/#silences-card', 303);
      return c.html(renderHtml(SilenceFeedback({ ok, message })) + partial(PANEL_IDS.silences, 'innerHTML', listHtml()), status);
    };
    if (!fields.success) return reply(422, false, validationMessage(fields.error));
    const f = fields.data;
    const input: Partial<SilenceInput> = { rule: f.rule === undefined || f.rule === '' ? '*' : f.rule, duration: f.duration, comment: f.comment ?? '' };
    if (f.key !== undefined && f.key !== '') input.key = f.key;
    if (f.createdBy !== undefined && f.createdBy !== '') input.createdBy = f.createdBy;
    const parsed = silenceInputSchema.safeParse(input);
    if (!parsed.success) return reply(422, false, validationMessage(parsed.error));
    try {
      const silence = engine.addSilence(parsed.data);
      const what = `${silence.rule === null || silence.rule === '*' ? 'all rules' : silence.rule}${silence.key !== null ? ` / ${silence.key}` : ''}`;
      return reply(200, true, `Silenced ${what} for ${durationLabel(f.duration)} (until ${silence.endsAt}).`);
    } catch (err) {
      if (err instanceof SilenceError) return reply(422, false, err.message);
      throw err;
    }
  });

  routes.delete('/ui/silences/:id', (c) => {
    engine.removeSilence(c.req.param('id'));
    return c.html(listHtml());
  });

  return routes;
}
