// What every notification channel implements, and the HTTP POST that three of them share.
import type { Alert } from '../types.ts';

/** Sends one message for a group of alerts. Rejects with DeliveryError (or any error: retried). */
export interface Channel {
  send(alerts: readonly Alert[], signal: AbortSignal): Promise<void>;
  close?(): void;
}

/** A failed delivery; `permanent` failures (a rejected request) are not retried. */
export class DeliveryError extends Error {
  constructor(message: string, readonly permanent = false) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * POSTs JSON and resolves on a 2xx. Error messages name only the URL's origin: a Slack webhook's path
 * is its secret and must not reach logs or `/api/notifiers`.
 */
export async function postJson(
  fetchFn: FetchLike,
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<void> {
  const origin = new URL(url).origin;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'LogWatch', ...headers },
      body: JSON.stringify(body),
      signal,
      redirect: 'error',
    });
  } catch (err) {
    if (signal.aborted) throw new DeliveryError(`no answer from ${origin} in time`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError(`cannot reach ${origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  // Read the body so the connection can be reused; its content does not matter.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new DeliveryError(`${origin} answered HTTP ${response.status}`, !retryable);
}
