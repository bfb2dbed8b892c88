import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { formatPath } from '../config/errors.ts';

/** Every API error is `{ "error": "what was wrong" }` with the right status. */
export function jsonError(c: Context, status: ContentfulStatusCode, message: string, headers?: Record<string, string>): Response {
  return c.json({ error: message }, status, headers);
}

/** `limit: Too big: expected number to be <=10000` from a zod error on query or body fields. */
export function validationMessage(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${formatPath(issue.path)}: ${issue.message}` : issue.message))
    .join('; ');
}
