/**
 * The status flow of a work plan (工作计划): draft → submitted → approved, or returned → (edited) → submitted
 * again. The manager submits; a head who reviews the manager's unit (work.review) approves or returns it. An
 * approved plan is final: its items are kept or missed by the work done, not by editing them.
 */
import type { PlanStatus } from './schemas.js';

const MOVES: Record<PlanStatus, readonly PlanStatus[]> = {
  draft: ['submitted'],
  returned: ['submitted'],
  submitted: ['approved', 'returned'],
  approved: [],
};

/** Who moves a plan where: its manager submits it, a reviewer decides on it. */
const BY_REVIEWER: ReadonlySet<PlanStatus> = new Set(['approved', 'returned']);

/** Every status a plan may move to from `status`, whoever moves it. */
export const nextStatuses = (status: PlanStatus): PlanStatus[] => [...MOVES[status]];

/** The statuses the reader may move a plan to: `owner` (the plan is theirs), `reviewer` (a head of the manager's unit). */
export function allowedMoves(status: PlanStatus, who: { owner: boolean; reviewer: boolean }): PlanStatus[] {
  return MOVES[status].filter((to) => (BY_REVIEWER.has(to) ? who.reviewer && !who.owner : who.owner));
}

/** A plan's items change only while its manager drafts it or after it came back. */
export const itemsEditable = (status: PlanStatus) => status === 'draft' || status === 'returned';
