import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call, setCsrfToken, setPasswordChangeHandler, setUnauthorizedHandler, ApiError, type Me } from '../api/client';
import { forgetAll } from '../api/swr';
import { useI18n } from '../i18n';

type Status = 'loading' | 'anonymous' | 'signedIn';

interface Session {
  status: Status;
  me: Me | null;
  /** Holds the permission (any of them, given several). */
  can: (permission: string | readonly string[]) => boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  /** Re-reads GET /api/me (after a profile or password change). */
  refresh: () => Promise<Me | null>;
  setMe: (me: Me) => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { setLocale } = useI18n();
  const [status, setStatus] = useState<Status>('loading');
  const [me, setMeState] = useState<Me | null>(null);

  const setMe = useCallback(
    (next: Me) => {
      setCsrfToken(next.csrfToken);
      setMeState(next);
      setStatus('signedIn');
      setLocale(next.locale);
    },
    [setLocale],
  );

  const signedOut = useCallback(() => {
    void forgetAll();
    setCsrfToken(undefined);
    setMeState(null);
    setStatus('anonymous');
  }, []);

  const refresh = useCallback(async () => {
    try {
      const next = await call(api.GET('/api/me'));
      setMe(next);
      return next;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        signedOut();
        return null;
      }
      throw e;
    }
  }, [setMe, signedOut]);

  // who is signed in, once at start: any failure counts as signed out
  useEffect(() => {
    let live = true;
    setUnauthorizedHandler(signedOut);
    call(api.GET('/api/me')).then(
      (next) => live && setMe(next),
      () => live && signedOut(),
    );
    return () => {
      live = false;
      setUnauthorizedHandler(undefined);
    };
  }, [setMe, signedOut]);

  // the server refuses everything until the password is changed: re-reading /api/me leads to that page
  useEffect(() => {
    setPasswordChangeHandler(() => void refresh().catch(() => signedOut()));
    return () => setPasswordChangeHandler(undefined);
  }, [refresh, signedOut]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await call(api.POST('/api/auth/login', { body: { username, password } }));
      setCsrfToken(answer.csrfToken);
      const next = await call(api.GET('/api/me'));
      setMe(next);
      return next;
    },
    [setMe],
  );

  const logout = useCallback(async () => {
    try {
      await call(api.POST('/api/auth/logout'));
    } finally {
      signedOut();
    }
  }, [signedOut]);

  const value = useMemo<Session>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return { status, me, can: (p) => (typeof p === 'string' ? permissions.has(p) : p.some((one) => permissions.has(one))), login, logout, refresh, setMe };
  }, [status, me, login, logout, refresh, setMe]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
