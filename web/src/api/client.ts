import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type Me = Schemas['Me'];
export type User = Schemas['User'];
export type OrgUnit = Schemas['OrgUnit'];
export type Role = Schemas['Role'];
export type Permission = Schemas['Permission'];
export type AuditEntry = Schemas['AuditEntry'];
export type CustomerSummary = Schemas['CustomerSummary'];
export type CustomerView = Schemas['CustomerView'];
export type CustomerHistoryEntry = Schemas['CustomerHistoryEntry'];
export type ImportJob = Schemas['ImportJob'];
export type Locale = Me['locale'];

/** A problem+json answer turned into an exception the UI can act on. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId?: string;
  /** Field errors with the `body.`/`query.` prefix removed, e.g. `username`. */
  readonly fieldErrors: { field: string; code: string; message: string }[];

  constructor(status: number, problem: Partial<Problem> | undefined) {
    super(problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code ?? 'http_' + status;
    this.requestId = problem?.requestId;
    this.fieldErrors = (problem?.errors ?? []).map((e) => ({
      ...e,
      field: e.field.replace(/^(body|query|params)\./, ''),
    }));
  }
}

let locale: Locale = 'zh-CN';
let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;
let onPasswordChangeRequired: (() => void) | undefined;

/** Called by the locale provider so that the server localises its messages. */
export function setApiLocale(next: Locale): void {
  locale = next;
}
/** Remembers the token returned by login and GET /api/me (the kam_csrf cookie is the fallback). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}
/** Called when a request answers 401 (session expired). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}
/** Called when the server refuses a call until the user changes the password (403 password_change_required). */
export function setPasswordChangeHandler(handler: (() => void) | undefined): void {
  onPasswordChangeRequired = handler;
}

function cookie(name: string): string | undefined {
  const hit = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : undefined;
}

const headersMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', locale);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = cookie('kam_csrf') ?? csrfToken;
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status === 401 && !request.url.endsWith('/api/auth/login') && !request.url.endsWith('/api/me')) {
      onUnauthorized?.();
    }
    if (response.status === 403 && onPasswordChangeRequired) {
      const problem = (await response.clone().json().catch(() => null)) as Partial<Problem> | null;
      if (problem?.code === 'password_change_required') onPasswordChangeRequired();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(headersMiddleware);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits a client call and returns its data, or throws ApiError. */
export async function call<T>(pending: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new ApiError(response.status, error as Partial<Problem> | undefined);
  return data as T;
}

/** Like `call` for list endpoints: also reads the total from X-Total-Count. */
/**
 * A page of a list: the items, the total, whether the server only estimated the total (very large lists),
 * and whether there are more matches than the total counts (a search lists its best ones; X-Total-More).
 */
export async function callList<T>(pending: Promise<Answer<T[]>>): Promise<{ items: T[]; total: number; estimated: boolean; more: boolean }> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new ApiError(response.status, error as Partial<Problem> | undefined);
  const items = data ?? [];
  const total = Number(response.headers.get('X-Total-Count') ?? items.length);
  const estimated = response.headers.get('X-Total-Estimated') === 'true';
  const more = response.headers.get('X-Total-More') === 'true';
  return { items, total: Number.isFinite(total) ? total : items.length, estimated, more };
}

/**
 * A URL of the same-origin API for a browser download (GET: the session cookie suffices, no CSRF);
 * empty values are left out.
 */
export function downloadUrl(path: string, query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Starts a browser download of a same-origin URL (the server names the file). */
export function download(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
