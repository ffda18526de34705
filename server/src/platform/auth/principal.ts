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
  permissions: ReadonlySet<Permission>;
  sessionId: string;
  csrfToken: string;
  locale: Locale;
}

/** What a service needs to know about who asks and from where: for scope checks and the audit trail. */
export interface Actor {
  userId: number | null;
  username: string | null;
  unitPath: string;
  permissions: ReadonlySet<Permission>;
  requestId: string | null;
  ip: string | null;
}

/** Runs from the CLI and scheduled jobs act as the system, with the whole organisation in scope. */
export function systemActor(permissions: ReadonlySet<Permission>, requestId: string | null = null): Actor {
  return { userId: null, username: 'system', unitPath: '/', permissions, requestId, ip: null };
}
