import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedMoves, isOpen, nextStatuses } from './flow.js';
import { ASSIGNMENT_STATUSES, type AssignmentStatus } from './schemas.js';

const MANAGER = { own: true, head: false };
const HEAD = { own: false, head: true };

describe('the status flow of a task assignment', () => {
  it('lets the manager start and submit, and the head evaluate and cancel', () => {
    expect(allowedMoves('assigned', MANAGER)).toEqual(['in_progress', 'submitted']);
    expect(allowedMoves('assigned', HEAD)).toEqual(['cancelled']);
    expect(allowedMoves('in_progress', MANAGER)).toEqual(['submitted']);
    expect(allowedMoves('submitted', MANAGER)).toEqual([]);
    expect(allowedMoves('submitted', HEAD)).toEqual(['evaluated', 'cancelled']);
  });

  it('evaluates only a submitted assignment, and nothing moves after evaluated or cancelled', () => {
    for (const s of ASSIGNMENT_STATUSES) expect(nextStatuses(s).includes('evaluated')).toBe(s === 'submitted');
    expect(nextStatuses('evaluated')).toEqual([]);
    expect(nextStatuses('cancelled')).toEqual([]);
  });

  it('never moves back to assigned or to the status it is in, and a reader gets a part of the moves; every open status can end', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ASSIGNMENT_STATUSES), fc.boolean(), fc.boolean(), (s, own, head) => {
        const moves = allowedMoves(s, { own, head });
        expect(moves).not.toContain('assigned');
        expect(moves).not.toContain(s);
        for (const m of moves) expect(nextStatuses(s)).toContain(m);
        if (!own && !head) expect(moves).toEqual([]);
      }),
    );
    const ends = (s: AssignmentStatus, seen = new Set<AssignmentStatus>()): boolean =>
      !isOpen(s) || (!seen.has(s) && nextStatuses(s).some((n) => ends(n, new Set([...seen, s]))));
    for (const s of ASSIGNMENT_STATUSES) expect(ends(s)).toBe(true);
  });
});
