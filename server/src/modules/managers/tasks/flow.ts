/**
 * The status flow of a task assignment (过程控制 → 执行评价): the manager starts it (assigned → in progress), reports
 * progress and submits it (→ submitted); the head evaluates a submitted one (→ evaluated) or cancels an open one
 * with the task (→ cancelled). Evaluated and cancelled are final. Who may make a move: the manager the moves
 * of work, the head the moves of judgement.
 */
import type { AssignmentStatus } from './schemas.js';

const MOVES: Record<AssignmentStatus, readonly AssignmentStatus[]> = {
  assigned: ['in_progress', 'submitted', 'cancelled'],
  in_progress: ['submitted', 'cancelled'],
  submitted: ['evaluated', 'cancelled'],
  evaluated: [],
  cancelled: [],
};

/** The moves that are the manager's (doing the work) and the head's (judging it, calling it off). */
const MANAGER_MOVES: ReadonlySet<AssignmentStatus> = new Set(['in_progress', 'submitted']);
const HEAD_MOVES: ReadonlySet<AssignmentStatus> = new Set(['evaluated', 'cancelled']);

export interface Reader {
  /** The assignment is the reader's own (work.own). */
  own: boolean;
  /** The reader follows the task as a head (tasks.assign, the task issued within their subtree). */
  head: boolean;
}

/** The statuses an assignment may move to from `status`, for this reader. */
export function allowedMoves(status: AssignmentStatus, reader: Reader): AssignmentStatus[] {
  return MOVES[status].filter((to) => (reader.own && MANAGER_MOVES.has(to)) || (reader.head && HEAD_MOVES.has(to)));
}

/** Every status a move may lead to from `status`, whoever makes it. */
export const nextStatuses = (status: AssignmentStatus): AssignmentStatus[] => [...MOVES[status]];

/** An assignment the manager still works on: progress may be reported on it. */
export const isReportable = (status: AssignmentStatus) => status === 'assigned' || status === 'in_progress';

/** An assignment not finished either way: the task stays open while one is. */
export const isOpen = (status: AssignmentStatus) => status !== 'evaluated' && status !== 'cancelled';
