/**
 * The status flow of a request (工单流转): new → accepted → in progress ⇄ waiting for the customer → resolved →
 * closed, and reopened (back to in progress) from resolved or closed. A closed request is reopened only by
 * someone who manages the unit's requests (services.manage): the customer's complaint about a handling that
 * was already closed goes to the head, not back to the handler who closed it.
 */
import type { RequestStatus } from './schemas.js';

const MOVES: Record<RequestStatus, readonly RequestStatus[]> = {
  new: ['accepted', 'in_progress', 'resolved'],
  accepted: ['in_progress', 'waiting_customer', 'resolved'],
  in_progress: ['waiting_customer', 'resolved'],
  waiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

/** The statuses a request may move to from `status`; a closed request only for a manager of requests. */
export function allowedMoves(status: RequestStatus, managesRequests: boolean): RequestStatus[] {
  if (status === 'closed' && !managesRequests) return [];
  return [...MOVES[status]];
}

/** Going back to work on a request that was resolved or closed. */
export const isReopening = (from: RequestStatus, to: RequestStatus) => (from === 'resolved' || from === 'closed') && to === 'in_progress';

/** The first move out of `new` answers the customer: the response target is met then. */
export const isResponse = (from: RequestStatus) => from === 'new';
