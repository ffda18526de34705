/**
 * A valid body for every API write that names a record by its `:id`, so that walks of the route catalogue
 * (the data-scope walk, the merged-customer walk) reach the service with each write instead of stopping
 * at input validation. A write route without a sample here fails those walks (400 instead of the answer
 * they expect): add its sample with the route.
 */
import type { RouteEntry } from './access.js';

/** What a sample may refer to: the record the route names and records the test prepared. */
export interface SampleRefs {
  /** The version of the record the route's `:id` names (customer, discount request, candidate, user, unit, role). */
  version: number;
  /** An active account manager in the caller's own subtree (assignments). */
  managerId: number;
  /** Another customer to merge with the one the route names. */
  duplicate: { id: number; version: number };
  /** An active item of the redemption catalogue. */
  catalogueItemId: number;
}

type Body = Record<string, unknown>;

const SAMPLES: Record<string, (r: SampleRefs) => Body | undefined> = {
  'PATCH /api/customers/:id': (r) => ({ version: r.version, source: 'console', employees: 77 }),
  'POST /api/customers/:id/visits': () => ({ visitedOn: '2026-11-20', channel: 'visit', summary: '上门拜访' }),
  'POST /api/customers/:id/archive': (r) => ({ version: r.version, toArchive: 'retained', reason: 'lost_status', effectiveOn: '2026-11-01' }),
  'POST /api/customers/:id/manager': (r) => ({ version: r.version, managerId: r.managerId }),
  'POST /api/customers/:id/reveal': () => ({ field: 'contactPhone' }),
  'POST /api/customers/:id/merge': (r) => ({ version: r.version, duplicateId: r.duplicate.id, duplicateVersion: r.duplicate.version }),
  'POST /api/customers/:id/key-persons': () => ({ name: '赵关键', role: 'decision_maker' }),
  'POST /api/customers/:id/points/redeem': (r) => ({ itemId: r.catalogueItemId, quantity: 1 }),
  'POST /api/customers/:id/points/adjust': () => ({ points: 10, reason: '客户投诉补偿' }),
  'POST /api/customers/:id/points/promo': () => ({ points: 10, reason: '双十一营销活动' }),
  'POST /api/customers/:id/benefits/:code/use': () => ({ quantity: 1, note: '白云机场 T2 贵宾厅' }),
  'POST /api/customers/:id/discounts': () => ({ amount: '100', months: 3, reason: '集团客户续约挽留' }),
  'POST /api/discounts/:id/decision': (r) => ({ version: r.version, decision: 'reject', note: '暂不予优惠' }),
  'POST /api/discounts/:id/withdrawal': (r) => ({ version: r.version }),
  'POST /api/rules/candidates/:id/decision': (r) => ({ version: r.version, decision: 'reject', note: '暂不具备条件' }),
  'PATCH /api/users/:id': (r) => ({ version: r.version, displayName: '改名测试' }),
  'POST /api/users/:id/password': () => ({ newPassword: 'Reset#2026pass!' }),
  'PATCH /api/org/units/:id': (r) => ({ version: r.version, name: '改名测试' }),
  'PATCH /api/roles/:id': (r) => ({ version: r.version, name: '改名测试' }),
  'PATCH /api/appointment-resources/:id': (r) => ({ version: r.version, name: '改名测试' }),
  'POST /api/appointment-resources/:id/slots': () => ({ from: '2030-03-04', to: '2030-03-08', weekdays: [1, 2, 3, 4, 5], times: ['09:00'], durationMinutes: 30, capacity: 2 }),
  'PATCH /api/appointment-slots/:id': (r) => ({ version: r.version, capacity: 5 }),
  'POST /api/appointments/:id/move': (r) => ({ version: r.version, slotId: 1 }),
  'POST /api/appointments/:id/cancel': (r) => ({ version: r.version, reason: '客户改期' }),
  'POST /api/appointments/:id/outcome': (r) => ({ version: r.version, outcome: 'attended' }),
  'POST /api/services/requests/:id/transition': (r) => ({ version: r.version, to: 'accepted' }),
  'POST /api/services/requests/:id/assignment': (r) => ({ version: r.version, ownerId: null }),
  'POST /api/services/requests/:id/comments': () => ({ kind: 'note', body: '已联系客户' }),
  'POST /api/services/requests/:id/survey': () => ({ score: 4 }),
  'POST /api/services/requests/:id/breach-reason': (r) => ({ version: r.version, reason: '等待备件' }),
  'PATCH /api/services/sla/policies/:id': (r) => ({ version: r.version, warnPercent: 70 }),
  'PUT /api/services/sla/holidays/:day': () => ({ kind: 'holiday', name: '国庆节' }),
  'POST /api/customers/:id/solutions': () => ({ title: '集团信息化升级方案' }),
  'PATCH /api/solutions/:id': (r) => ({ version: r.version, title: '改名测试' }),
  'POST /api/solutions/:id/status': (r) => ({ version: r.version, status: 'lost', reason: '客户预算取消' }),
  'PATCH /api/services/partners/:id': (r) => ({ version: r.version, rateLimitPerMinute: 60 }),
  'POST /api/services/partners/:id/credentials': () => ({ label: '前台' }),
  'PATCH /api/system/clients/:id': (r) => ({ version: r.version, name: '改名测试' }),
  'POST /api/system/clients/:id/secrets': () => ({ retireOthersInHours: 24 }),
  'POST /api/work-plans/:id/items': () => ({ customerId: 1, kind: 'visit', plannedOn: '2026-12-01' }),
  'PATCH /api/work-plan-items/:id': (r) => ({ version: r.version, goal: '了解续约意向' }),
  'POST /api/work-plans/:id/submit': (r) => ({ version: r.version }),
  'POST /api/work-plans/:id/review': (r) => ({ version: r.version, decision: 'approved' }),
  'POST /api/work-plans/:id/comments': () => ({ body: '请补充重点客户' }),
  'POST /api/work-logs/:id/comments': () => ({ body: '跟进及时' }),
  'PATCH /api/managers/:id/profile': () => ({ version: 0, grade: 'senior' }),
  'POST /api/managers/:id/certifications': () => ({ name: '通信工程师（中级）', expiresOn: '2030-06-30' }),
  'PATCH /api/managers/:id/certifications/:certificationId': () => ({ version: 1, name: '改名测试' }),
  'PATCH /api/outages/:id': (r) => ({ version: r.version, title: '改名测试' }),
  'POST /api/outages/:id/submit': (r) => ({ version: r.version }),
  'POST /api/outages/:id/approve': (r) => ({ version: r.version, note: '同意' }),
  'POST /api/outages/:id/reject': (r) => ({ version: r.version, note: '请改期' }),
  'POST /api/outages/:id/send': (r) => ({ version: r.version }),
  'POST /api/outages/:id/complete': (r) => ({ version: r.version }),
  'POST /api/outages/:id/cancel': (r) => ({ version: r.version, reason: '设备到货延期' }),
  'POST /api/managers/tasks/:id/cancel': (r) => ({ version: r.version, reason: '改由地市统一组织' }),
  'POST /api/managers/task-assignments/:id/start': (r) => ({ version: r.version }),
  'POST /api/managers/task-assignments/:id/reports': (r) => ({ version: r.version, progress: 50, body: '已走访两家客户' }),
  'POST /api/managers/task-assignments/:id/submit': (r) => ({ version: r.version }),
  'POST /api/managers/task-assignments/:id/evaluate': (r) => ({ version: r.version, score: 80, comment: '按期完成' }),
  'POST /api/managers/task-assignments/:id/replies': () => ({ body: '注意客户预算' }),
  'POST /api/reminders/:id/dismiss': (r) => ({ version: r.version }),
  'POST /api/reminders/:id/snooze': (r) => ({ version: r.version, until: new Date(Date.now() + 8 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 10) }),
  'PUT /api/org/units/:id/reminder-settings/:type': () => ({ enabled: false, leadDays: [3] }),
  'PATCH /tmf-api/customerManagement/v4/customer/:id': () => ({ name: '改名测试' }),
  'PATCH /tmf-api/troubleTicket/v4/troubleTicket/:id': () => ({ status: 'inProgress' }),
  'POST /api/system/events/subscriptions/:id/replay': () => ({}),
  'POST /api/system/events/subscriptions/:id/pause': (r) => ({ version: r.version }),
  'POST /api/system/events/subscriptions/:id/resume': (r) => ({ version: r.version }),
  'PATCH /api/analysis/queries/:id': (r) => ({ version: r.version, name: '改名测试' }),
  'POST /api/analysis/segments/:id/mode': (r) => ({ version: r.version, mode: 'live' }),
  'POST /api/analysis/segments/:id/tasks': () => ({ title: '走访目标客户', dueOn: new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10) }),
  'PATCH /api/analysis/campaigns/:id': (r) => ({ version: r.version, name: '改名测试' }),
  'POST /api/analysis/campaigns/:id/status': (r) => ({ version: r.version, status: 'running' }),
  'PUT /api/analysis/campaigns/:id/members/:customerId/response': () => ({ response: 'accepted' }),
  'PUT /api/scorecard-weights/:id': () => ({
    version: 0,
    lines: [
      ['portfolio_revenue', 20, 150000], ['revenue_growth', 10, 5], ['new_key_accounts', 5, 2], ['solutions_signed', 5, 1], ['plan_items_kept', 10, 90],
      ['visits', 10, 8], ['tasks_on_time', 10, 90], ['sla_met', 10, 95], ['satisfaction', 10, 4.5], ['portfolio_churn', 10, 1],
    ].map(([indicator, weight, target]) => ({ indicator, weight, target })),
  }),
};

/** The key of a route in the samples: `METHOD /api/…/:id`. */
export const routeKey = (r: Pick<RouteEntry, 'method' | 'url'>) => `${r.method} ${r.url}`;

/** The sample body of a route, or undefined for a route that takes none (GET, DELETE, an action without input). */
export function sampleBody(route: Pick<RouteEntry, 'method' | 'url'>, refs: SampleRefs): Body | undefined {
  return SAMPLES[routeKey(route)]?.(refs);
}
