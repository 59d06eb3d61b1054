/** The page's calls to the console's JSON API. */
import type { ReviewSession } from '../review/types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`${status} ${message}`);
  }
}

async function parse<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(response.status, body.message ?? response.statusText);
  }
  return (await response.json()) as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' }));
}

/** A mutating call: JSON body and the session's CSRF token. */
export async function postJson<T>(path: string, body: unknown, session: ReviewSession): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'csrf-token': session.csrfToken },
    body: JSON.stringify(body ?? {}),
  });
  return parse<T>(response);
}

/** Who is logged in, and a fresh token; null when this console has no review (REVIEW_WAREHOUSE_URL unset). */
export async function currentSession(): Promise<ReviewSession | null> {
  try {
    return await getJson<ReviewSession>('api/session');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
