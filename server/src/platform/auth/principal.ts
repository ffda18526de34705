import type { Locale } from '../i18n/messages.js';
import type { Permission } from './permissions.js';

/** The signed-in user as the server sees them on one request. */
export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  unitId: number;
  /** Materialised path of the user's unit: the root of their data scope. */
  unitPath: string;
  /** The area the user's unit serves (its city; a province or HQ unit itself): see platform/auth/scope.ts. */
  areaPath: string;
  permissions: ReadonlySet<Permission>;
  sessionId: string;
  csrfToken: string;
  locale: Locale;
  /** Set by an administrator (new user, reset): until changed, only sign-out, /api/me and the change are served. */
  mustChangePassword: boolean;
}

/** What a service needs to know about who asks and from where: for scope checks and the audit trail. */
export interface Actor {
  userId: number | null;
  username: string | null;
  unitPath: string;
  /** The area the actor's unit serves, widening their reading of key accounts with customers.read_area (scope.ts). */
  areaPath: string;
  permissions: ReadonlySet<Permission>;
  requestId: string | null;
  ip: string | null;
}

/** Runs from the CLI and scheduled jobs act as the system, with the whole organisation in scope. */
export function systemActor(permissions: ReadonlySet<Permission>, requestId: string | null = null): Actor {
  return { userId: null, username: 'system', unitPath: '/', areaPath: '/', permissions, requestId, ip: null };
}
