import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { lazyPage, PageLoading } from './lazyPage';
import { useSession } from './session';

export const ForbiddenPage = lazyPage(() => import('../pages/errors/ErrorPages'), 'ForbiddenPage');

/** Signed-in users only; a user who must change the password is sent to that page first. */
export function RequireAuth({ children, passwordPage = false }: { children: ReactNode; passwordPage?: boolean }) {
  const { status, me } = useSession();
  const location = useLocation();
  if (status === 'loading') {
    return <PageLoading />;
  }
  if (status === 'anonymous' || !me) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  if (me.mustChangePassword && !passwordPage) return <Navigate to="/change-password" replace />;
  if (!me.mustChangePassword && passwordPage) return <Navigate to="/" replace />;
  return <>{children}</>;
}

/** Renders the 403 page in place when the user lacks the route's permission. */
export function RequirePermission({ permission, children }: { permission?: string | readonly string[]; children: ReactNode }) {
  const { can } = useSession();
  if (permission && !can(permission)) return <ForbiddenPage />;
  return <>{children}</>;
}
