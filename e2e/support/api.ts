import { DEMO_PASSWORD } from './harness';

export interface ApiSession {
  /** Calls the API as this user; throws with the problem body on a non-2xx answer. */
  request: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
  me: { id: number; unitId: number; displayName: string };
}

/** Signs in over HTTP (no browser) to prepare data for a browser test. */
export async function apiSession(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const me = await request<ApiSession['me']>('GET', '/api/me');
  return { request, me };
}
