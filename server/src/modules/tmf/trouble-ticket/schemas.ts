/** TMF621 Trouble Ticket at the edge: the service requests' statuses as TMF states, the list's filters, creation and merge-patch. */
import { z } from 'zod';
import { CHANNELS, REQUEST_TYPES, type RequestStatus } from '../../services/requests/service.js';
import { listQuery, tmfMeta } from '../common/conventions.js';

/** Our statuses as TroubleTicketStatusType: new and accepted are both acknowledged (received, not yet worked on). */
export const TICKET_STATUS_OF: Record<RequestStatus, TicketStatus> = {
  new: 'acknowledged',
  accepted: 'acknowledged',
  in_progress: 'inProgress',
  waiting_customer: 'pending',
  resolved: 'resolved',
  closed: 'closed',
};
export const TICKET_STATUSES = ['acknowledged', 'rejected', 'pending', 'held', 'inProgress', 'cancelled', 'closed', 'resolved'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** The statuses a ticket can be moved to through the request flow (rejected, cancelled and held have no counterpart). */
export const MOVABLE_STATUSES = ['acknowledged', 'inProgress', 'pending', 'resolved', 'closed'] as const;

export const ticketListQuery = listQuery({
  status: z.enum(MOVABLE_STATUSES).optional(),
  ticketType: z.enum(REQUEST_TYPES).optional(),
  externalId: z.string().trim().min(1).max(40).optional().describe('The request number (工单号), or its end'),
  'relatedParty.id': z.string().regex(/^[1-9]\d{0,15}$/).optional().describe('The customer (its Customer id)'),
});
export type TicketListQuery = z.infer<typeof ticketListQuery>;

const partyRef = z.object({
  id: z.string().max(40),
  role: z.string().max(40).optional(),
  name: z.string().max(200).optional(),
  href: z.string().max(500).optional(),
  '@referredType': z.string().max(60).optional(),
});

/** TroubleTicket_Create: the customer is the related party of role customer (or type Customer). */
export const ticketCreateBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional().describe('The title; the start of the description without one'),
  description: z.string().trim().min(1).max(5000),
  severity: z.string().trim().min(1).max(40).describe('urgent, critical or high: an urgent request; any other: normal'),
  priority: z.string().trim().max(40).optional(),
  ticketType: z.enum(REQUEST_TYPES),
  channel: z.object({ id: z.enum(CHANNELS).optional(), name: z.string().max(60).optional() }).optional().describe('Where it was raised: web by default'),
  relatedParty: z.array(partyRef).min(1).max(10),
  externalId: z.string().max(60).optional().describe('Ignored: the request number is ours'),
  ...tmfMeta,
});
export type TicketCreate = z.infer<typeof ticketCreateBody>;

/** What a merge-patch of a TroubleTicket may change: its status through the request flow, with why. */
export const ticketPatchBody = z.strictObject({
  status: z.enum(TICKET_STATUSES),
  statusChangeReason: z.string().trim().max(2000).optional().describe('Required to reopen (inProgress from resolved or closed); told to the customer when resolving'),
});
export type TicketPatch = z.infer<typeof ticketPatchBody>;
