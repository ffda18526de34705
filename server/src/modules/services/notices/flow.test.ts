import { describe, expect, it } from 'vitest';
import { allowedActions, earliestStart, leavesNotice, needsApproval, nextStatus, windowText } from './flow.js';

const at = (iso: string) => new Date(iso);
const HEAD = new Set(['notices.manage', 'notices.approve'] as const);

describe('the notice flow', () => {
  it('needs approval over 24 hours or with any key account affected (2011 standard §2.6)', () => {
    const start = at('2030-01-01T00:00:00+08:00');
    expect(needsApproval(start, at('2030-01-02T00:00:00+08:00'), 0)).toBe(false);
    expect(needsApproval(start, at('2030-01-02T00:00:01+08:00'), 0)).toBe(true);
    expect(needsApproval(start, at('2030-01-01T01:00:00+08:00'), 1)).toBe(true);
    expect(nextStatus('submit', false)).toBe('approved');
    expect(nextStatus('submit', true)).toBe('pending_approval');
    expect(nextStatus('reject', true)).toBe('draft');
  });

  it('leaves 72 hours’ notice, the earliest start rounded up to the minute', () => {
    const now = at('2030-01-01T10:00:30Z');
    expect(earliestStart(now).toISOString()).toBe('2030-01-04T10:01:00.000Z');
    expect(leavesNotice(at('2030-01-04T10:00:30Z'), now)).toBe(true);
    expect(leavesNotice(at('2030-01-04T10:00:29Z'), now)).toBe(false);
  });

  it('offers a head the actions of the status, but never the decision on their own notice', () => {
    expect(allowedActions('pending_approval', { permissions: HEAD, manages: true, ownsIt: false })).toEqual(['approve', 'reject', 'cancel']);
    expect(allowedActions('pending_approval', { permissions: HEAD, manages: true, ownsIt: true })).toEqual(['cancel']);
    expect(allowedActions('approved', { permissions: new Set(['notices.approve'] as const), manages: true, ownsIt: false })).toEqual([]);
    expect(allowedActions('notified', { permissions: HEAD, manages: false, ownsIt: false })).toEqual([]);
    expect(allowedActions('cancelled', { permissions: HEAD, manages: true, ownsIt: false })).toEqual([]);
  });

  it('writes the window in Beijing time, the end’s day only when it differs', () => {
    expect(windowText(at('2030-11-30T16:00:00Z'), at('2030-11-30T22:00:00Z'))).toBe('2030-12-01 00:00–06:00');
    expect(windowText(at('2030-11-30T15:00:00Z'), at('2030-11-30T17:30:00Z'))).toBe('2030-11-30 23:00–2030-12-01 01:30');
  });
});
