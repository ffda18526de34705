/**
 * The flow of a planned outage (客户服务标准 2011 §2.6): draft → submitted → (a head approves, when the window
 * exceeds 24 h or any key account is affected) → approved → sent to the customers (notified) → completed; it
 * may be cancelled until it is completed. A rejection sends it back to draft with the head's note. Sending
 * again once notified reaches only the customers not told yet (those who joined the area since).
 */
import type { Permission } from '../../../platform/auth/permissions.js';
import type { OutageAction, OutageStatus } from './schemas.js';

/** 72 hours' notice before the work starts; windows up to 24 hours go without approval when no key account is affected. */
export const NOTICE_HOURS = 72;
export const APPROVAL_FREE_HOURS = 24;
/** The longest window one notice announces. */
export const MAX_WINDOW_DAYS = 30;
const HOUR_MS = 3_600_000;

const FLOW: Record<OutageStatus, readonly OutageAction[]> = {
  draft: ['submit', 'cancel'],
  pending_approval: ['approve', 'reject', 'cancel'],
  approved: ['send', 'cancel'],
  notified: ['send', 'complete', 'cancel'],
  completed: [],
  cancelled: [],
};

/** What each action needs: the heads decide, those who plan the work do the rest. */
export const ACTION_PERMISSION: Record<OutageAction, Permission> = {
  submit: 'notices.manage',
  approve: 'notices.approve',
  reject: 'notices.approve',
  send: 'notices.manage',
  complete: 'notices.manage',
  cancel: 'notices.manage',
};

/** The actions the flow allows from a status, whoever asks. */
export const flowActions = (status: OutageStatus): OutageAction[] => [...FLOW[status]];

/** The status an action leads to; submitting goes straight to approved when no approval is needed. */
export function nextStatus(action: OutageAction, needsApproval: boolean): OutageStatus {
  const to: Record<OutageAction, OutageStatus> = {
    submit: needsApproval ? 'pending_approval' : 'approved',
    approve: 'approved',
    reject: 'draft',
    send: 'notified',
    complete: 'completed',
    cancel: 'cancelled',
  };
  return to[action];
}

/** Who the reader is to an outage: what they hold, whether its area is in their subtree, whether they put it forward. */
export interface Reader {
  permissions: ReadonlySet<Permission>;
  /** The outage's area is the reader's unit or below it. */
  manages: boolean;
  /** The reader created or submitted it: they never decide it. */
  ownsIt: boolean;
}

/** The actions open to this reader now (the UI's buttons). */
export function allowedActions(status: OutageStatus, reader: Reader): OutageAction[] {
  if (!reader.manages) return [];
  return flowActions(status).filter((a) => reader.permissions.has(ACTION_PERMISSION[a]) && !((a === 'approve' || a === 'reject') && reader.ownsIt));
}

/** An outage's data may change while nobody has been told: a change to a submitted or approved one sends it back to draft. */
export const isEditable = (status: OutageStatus) => status === 'draft' || status === 'pending_approval' || status === 'approved';

/** The standard's rule: approval first when the window exceeds 24 hours or any key account is affected. */
export const needsApproval = (startsAt: Date, endsAt: Date, affected: number) => endsAt.getTime() - startsAt.getTime() > APPROVAL_FREE_HOURS * HOUR_MS || affected > 0;

/** The earliest start a notice given at `now` allows, rounded up to the minute. */
export function earliestStart(now: Date): Date {
  const t = now.getTime() + NOTICE_HOURS * HOUR_MS;
  return new Date(Math.ceil(t / 60_000) * 60_000);
}

/** Whether a window's start still leaves the customers 72 hours' notice at `now`. */
export const leavesNotice = (startsAt: Date, now: Date) => startsAt.getTime() >= now.getTime() + NOTICE_HOURS * HOUR_MS;

const SHANGHAI_MS = 8 * HOUR_MS; // no daylight saving time in China since 1991
/** An instant as people in 广东 read it: `YYYY-MM-DD HH:mm`. */
export const shanghaiMinute = (d: Date) => new Date(d.getTime() + SHANGHAI_MS).toISOString().slice(0, 16).replace('T', ' ');

/** A window in Asia/Shanghai: `2026-12-01 00:00–06:00` within a day, else both ends in full. */
export function windowText(startsAt: Date, endsAt: Date): string {
  const [from, to] = [shanghaiMinute(startsAt), shanghaiMinute(endsAt)];
  return from.slice(0, 10) === to.slice(0, 10) ? `${from}–${to.slice(11)}` : `${from}–${to}`;
}
