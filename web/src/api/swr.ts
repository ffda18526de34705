/**
 * Reads of the API through SWR: one cache for the console, keyed by the path and its parameters (a
 * change of parameters is a new key, so an answer to an older request never lands on a newer one),
 * one fetcher on the generated client, and `revalidate` for writes to re-read what they changed.
 */
import useSWR, { mutate, type SWRConfiguration } from 'swr';
import { api, ApiError, call, callList } from './client';
import type { paths } from './schema';

/** The paths that answer GET. */
export type GetPath = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];
type GetOperation<P extends GetPath> = paths[P] extends { get: infer G } ? G : never;
/** The `params` of a GET (`path`, `query`), as the generated client takes them. */
export type GetParams<P extends GetPath> = GetOperation<P> extends { parameters: infer X } ? X : never;
/** The JSON of a GET's 200 answer. */
export type Answer<P extends GetPath> = GetOperation<P> extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;
/** One item of a list answer. */
export type Item<P extends GetPath> = Answer<P> extends (infer T)[] ? T : never;
export interface Page<T> {
  items: T[];
  total: number;
  estimated: boolean;
  /** More matches than `total`, which counts those listed (a search of a common fragment). */
  more: boolean;
}

/** A key of the cache: the path, its parameters, and whether the answer is read as a list page. */
export type ApiKey = readonly [path: GetPath, params: object, as: 'data' | 'list'];

/** The shared fetcher: GET the key's path with its parameters; a list also reads X-Total-Count. */
export function fetchKey([path, params, as]: ApiKey): Promise<unknown> {
  const pending = api.GET(path as never, { params } as never);
  return as === 'list' ? callList(pending as never) : call(pending);
}

/** A GET answer; `params` null waits (nothing is asked until it is known). */
export function useApi<P extends GetPath>(path: P, params: GetParams<P> | null, config?: SWRConfiguration<Answer<P>, ApiError>) {
  const key: ApiKey | null = params === null ? null : [path, params as object, 'data'];
  return useSWR<Answer<P>, ApiError, ApiKey | null>(key, fetchKey as (k: ApiKey) => Promise<Answer<P>>, config);
}

/**
 * For an edit form: the answer only once read afresh, never a cached older version (the form starts
 * from it and sends its `version`); `data` is undefined while the read is under way.
 */
export function useFreshApi<P extends GetPath>(path: P, params: GetParams<P> | null) {
  const answer = useApi(path, params, { revalidateOnMount: true, dedupingInterval: 0 });
  return { data: answer.isValidating ? undefined : answer.data, error: answer.error, mutate: answer.mutate };
}

/** A page of a list answer with its total (X-Total-Count); `params` null waits. */
export function useApiList<P extends GetPath>(path: P, params: GetParams<P> | null, config?: SWRConfiguration<Page<Item<P>>, ApiError>) {
  const key: ApiKey | null = params === null ? null : [path, params as object, 'list'];
  return useSWR<Page<Item<P>>, ApiError, ApiKey | null>(key, fetchKey as (k: ApiKey) => Promise<Page<Item<P>>>, config);
}

const isKeyOf = (key: unknown, paths: readonly GetPath[]) => Array.isArray(key) && paths.includes(key[0] as GetPath);

/** After a write: every cached answer of these paths is read again (the ones on screen at once). */
export function revalidate(...paths: GetPath[]): Promise<unknown> {
  return mutate((key) => isKeyOf(key, paths));
}

/** At sign-out: nothing one user read stays for the next. */
export function forgetAll(): Promise<unknown> {
  return mutate(() => true, undefined, { revalidate: false });
}

/** The console's SWR settings: no re-reads on focus (slow links), no retries of what the server refused. */
export const swrConfig: SWRConfiguration = {
  revalidateOnFocus: false,
  onErrorRetry: (error, _key, config, retry, { retryCount }) => {
    if (error instanceof ApiError && error.status < 500) return;
    if (retryCount >= 3) return;
    setTimeout(() => void retry({ retryCount }), (config.errorRetryInterval ?? 5000) * 2 ** retryCount);
  },
};
