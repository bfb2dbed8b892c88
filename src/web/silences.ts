// Routes of the alerting side: silences (create, list, delete) and notifier delivery status.
// Mounted by the app: `app.route('/', alertRoutes(ctx.silences, ctx.notifiers))`.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { SilenceError, silenceInputSchema } from '../alerts/index.ts';
import { formatPath } from '../config/errors.ts';
import type { NotifierStatus, SilenceStore } from './context.ts';

const MAX_BODY = 16 * 1024;

/** Form fields arrive as strings; empty ones mean "not given", and duration is a number of seconds. */
function fromForm(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    out[name] = name === 'duration' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  }
  return out;
}

export function alertRoutes(engine: SilenceStore, notifiers: NotifierStatus): Hono {
  const app = new Hono();

  app.get('/api/silences', (c) => c.json(engine.silences()));

  app.post(
    '/api/silences',
    bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: `the body is over ${MAX_BODY} bytes` }, 413) }),
    async (c) => {
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
    },
  );

  app.delete('/api/silences/:id', (c) => {
    const id = c.req.param('id');
    if (!engine.removeSilence(id)) return c.json({ error: `no silence with id ${id} (GET /api/silences lists them)` }, 404);
    return c.json({ deleted: id });
  });

  app.get('/api/notifiers', (c) => c.json(notifiers.status()));

  return app;
}
