/**
 * 三权分立: which entries of the audit trail are security events — what the auditor watches the
 * administrators and everyone else by. An auditor sees a security event when it concerns a unit at or below
 * theirs, when it concerns no unit, and whenever its actor acted from a unit at or above theirs (so an
 * administrator at the root cannot keep their own actions from a province's auditor). Other entries (the
 * key accounts' data) follow the data scope alone.
 */
import type { AuditAction } from './audit.js';

/** Entities whose every entry is a security event: accounts, roles and permissions, sign-ins, settings, rule versions and runs, the organisation, refusals, the trail itself. */
export const SECURITY_ENTITIES = ['role', 'user', 'session', 'setting', 'rule_set', 'rule_run', 'org_unit', 'access', 'audit_log'] as const;

/** Actions that are security events whatever they concern: sign-ins and their failures, locks, passwords, exports, refusals, alerts. */
export const SECURITY_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'lock',
  'unlock',
  'password_change',
  'password_change_failed',
  'password_reset',
  'export',
  'refused',
  'alert',
] as const satisfies readonly AuditAction[];
