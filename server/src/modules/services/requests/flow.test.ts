import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedMoves, isReopening } from './flow.js';
import { REQUEST_STATUSES, type RequestStatus } from './schemas.js';

describe('the status flow of a service request', () => {
  it('moves a new request to accepted, in progress or straight to resolved (a consultation answered at once)', () => {
    expect(allowedMoves('new', false)).toEqual(['accepted', 'in_progress', 'resolved']);
  });

  it('closes only a resolved request', () => {
    for (const s of REQUEST_STATUSES) expect(allowedMoves(s, true).includes('closed')).toBe(s === 'resolved');
  });

  it('lets only a manager of requests reopen a closed one', () => {
    expect(allowedMoves('closed', false)).toEqual([]);
    expect(allowedMoves('closed', true)).toEqual(['in_progress']);
    expect(isReopening('closed', 'in_progress')).toBe(true);
    expect(isReopening('waiting_customer', 'in_progress')).toBe(false);
  });

  it('never moves a request to new or to the status it is in, and every status can reach closed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REQUEST_STATUSES), fc.boolean(), (s, manager) => {
        const moves = allowedMoves(s, manager);
        expect(moves).not.toContain('new');
        expect(moves).not.toContain(s);
      }),
    );
    const reachesClosed = (s: RequestStatus, seen = new Set<RequestStatus>()): boolean =>
      s === 'closed' || (!seen.has(s) && allowedMoves(s, true).some((n) => reachesClosed(n, new Set([...seen, s]))));
    for (const s of REQUEST_STATUSES) expect(reachesClosed(s)).toBe(true);
  });
});
