/**
 * TMF621 Trouble Ticket over the service requests (工单, services/requests): raised, listed and moved through
 * their status flow by the requests area's service, in the caller's scope; its refusals (a move the flow does
 * not allow, a stale version) answer as the console's do, in the TMF Error body.
 */
import type { Actor } from '../../../platform/auth/principal.js';
import type { Deps } from '../../../platform/deps.js';
import { invalid } from '../../../platform/errors.js';
import * as requests from '../../services/requests/service.js';
import { checkVersion, compact, hrefOf, isoOf, typed } from '../common/conventions.js';
import { TICKET_STATUS_OF, type TicketCreate, type TicketListQuery, type TicketPatch, type TicketStatus } from './schemas.js';

const URGENT = new Set(['urgent', 'critical', 'high']);

export function toTroubleTicket(r: requests.ServiceRequest, detail?: Pick<requests.RequestDetail, 'events'>) {
  const notes = (detail?.events ?? []).filter((e) => e.body && (e.kind === 'note' || e.kind === 'reply' || e.kind === 'status' || e.kind === 'reopened'));
  return compact({
    id: String(r.id),
    href: hrefOf('tmf621', 'troubleTicket', r.id),
    externalId: r.requestNo,
    name: r.title,
    description: r.description ?? r.title,
    severity: r.priority,
    priority: r.priority,
    ticketType: r.type,
    status: TICKET_STATUS_OF[r.status],
    creationDate: isoOf(r.createdAt),
    lastUpdate: isoOf(r.updatedAt),
    expectedResolutionDate: isoOf(r.resolveDueAt),
    resolutionDate: isoOf(r.resolvedAt),
    channel: { id: r.channel, name: r.channel },
    relatedParty: [
      { id: String(r.customerId), href: hrefOf('tmf629', 'customer', r.customerId), name: r.customerName, role: 'customer', '@referredType': 'Customer' },
      ...(r.ownerId === null ? [] : [compact({ id: String(r.ownerId), name: r.ownerName ?? undefined, role: 'handler', '@referredType': 'Individual' })]),
    ],
    note: detail ? notes.map((e) => compact({ id: String(e.id), author: e.actorName ?? undefined, date: isoOf(e.createdAt), text: e.body!, '@type': 'Note' })) : undefined,
    ...typed('tmf621', 'TroubleTicket'),
  });
}

export async function listTickets(deps: Deps, actor: Actor, query: TicketListQuery) {
  const acknowledged = query.status === 'acknowledged';
  const status = query.status && !acknowledged ? (Object.entries(TICKET_STATUS_OF).find(([, t]) => t === query.status)![0] as requests.RequestStatus) : undefined;
  const customerId = query['relatedParty.id'] ? Number(query['relatedParty.id']) : undefined;
  const page = await requests.listRequests(
    deps,
    actor,
    { view: 'all', sort: 'created', offset: query.offset, limit: query.limit, status, type: query.ticketType, q: query.externalId, customerId },
    acknowledged ? { statuses: ['new', 'accepted'] } : {},
  );
  return { items: page.items.map((r) => toTroubleTicket(r)), total: page.total };
}

export async function getTicket(deps: Deps, actor: Actor, id: number) {
  const detail = await requests.getRequestDetail(deps, actor, id);
  return { ticket: toTroubleTicket(detail, detail), version: detail.version };
}

/** 受理登记 for a machine: the customer is the related party of role customer. */
export async function createTicket(deps: Deps, actor: Actor, body: TicketCreate) {
  const party = body.relatedParty.find((p) => p.role?.toLowerCase() === 'customer' || p['@referredType'] === 'Customer');
  const customerId = party && /^[1-9]\d{0,15}$/.test(party.id) ? Number(party.id) : null;
  if (!customerId) throw invalid('body.relatedParty', 'tmf_ticket_customer_required');
  const urgent = URGENT.has(body.severity.toLowerCase()) || URGENT.has((body.priority ?? '').toLowerCase());
  const detail = await requests.createRequest(deps, actor, {
    customerId,
    type: body.ticketType,
    channel: body.channel?.id ?? 'web',
    title: body.name ?? body.description.slice(0, 200),
    description: body.description,
    priority: urgent ? 'urgent' : 'normal',
    areaKind: 'town',
  });
  return { ticket: toTroubleTicket(detail, detail), version: detail.version };
}

/** The request status a ticket status names (acknowledging a new request accepts it; the flow refuses the moves it does not allow). */
function targetOf(to: TicketStatus): requests.RequestStatus {
  switch (to) {
    case 'acknowledged':
      return 'accepted';
    case 'inProgress':
      return 'in_progress';
    case 'pending':
      return 'waiting_customer';
    case 'resolved':
    case 'closed':
      return to;
    default:
      throw invalid('body.status', 'tmf_status_unsupported', { status: to });
  }
}

/** A move of the ticket's status through the request flow, at the version read (If-Match). */
export async function patchTicket(deps: Deps, actor: Actor, id: number, ifMatch: number | null, patch: TicketPatch) {
  const current = await requests.getRequestDetail(deps, actor, id);
  checkVersion(ifMatch, current.version);
  const to = targetOf(patch.status);
  // a status it holds already: nothing to move (the request flow has no move to the same status)
  if (to === current.status) return { ticket: toTroubleTicket(current, current), version: current.version };
  const detail = await requests.transition(deps, actor, id, { version: current.version, to, note: patch.statusChangeReason ?? null });
  return { ticket: toTroubleTicket(detail, detail), version: detail.version };
}

/** Events: the TroubleTickets of these ids, whoever may see them (without their notes, which stay internal). */
export async function renderTickets(deps: Deps, ids: string[]): Promise<Map<string, unknown>> {
  const rows = await requests.requestsByIds(deps, ids.map(Number).filter(Number.isSafeInteger));
  return new Map(rows.map((r) => [String(r.id), toTroubleTicket(r)]));
}
