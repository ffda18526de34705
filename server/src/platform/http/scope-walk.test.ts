import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { ALL_PERMISSIONS } from '../auth/permissions.js';
import { servedAreaPath } from '../auth/scope.js';
import { routeKey, sampleBody, type SampleRefs } from './route-samples.testing.js';

/**
 * 数据范围, walked over the route catalogue (as access.test.ts walks it for permissions): every route that
 * names a record by an id, asked for a record outside the caller's scope — another manager's customer of
 * the same city, another city's customer, discount request, candidacy, import, user, unit, role, another
 * user's saved filter or export — answers 404 exactly as for a record that does not exist (the same
 * problem, so nothing of the record shows), or 403 when the caller lacks the route's permission, and
 * changes nothing.
 * A route is walked by the resource its first id names: a new route under a known resource is walked as
 * it comes; a route of a new resource fails the walk until its records are added here or listed as
 * unscoped.
 */

type Kind = 'customer' | 'discount' | 'candidate' | 'import' | 'user' | 'unit' | 'role' | 'savedFilter' | 'exportJob' | 'appointmentResource' | 'appointmentSlot' | 'appointment' | 'serviceRequest' | 'solution' | 'outage' | 'partner' | 'workPlan' | 'workPlanItem' | 'workLog' | 'reminder' | 'managerTask' | 'taskAssignment' | 'scorecard' | 'apiClient' | 'analysisQuery' | 'analysisSegment' | 'analysisCampaign';

/** What the first id of a route names, by the path up to it. */
const RECORD_KINDS: Record<string, Kind> = {
  '/tmf-api/customerManagement/v4/customer/:id': 'customer',
  '/tmf-api/partyManagement/v4/organization/:id': 'customer',
  '/tmf-api/partyManagement/v4/individual/:id': 'customer',
  '/tmf-api/loyaltyManagement/v4/loyaltyAccount/:id': 'customer',
  '/tmf-api/troubleTicket/v4/troubleTicket/:id': 'serviceRequest',
  '/api/customers/:id': 'customer',
  '/api/discounts/:id': 'discount',
  '/api/rules/candidates/:id': 'candidate',
  '/api/imports/:id': 'import',
  '/api/users/:id': 'user',
  '/api/org/units/:id': 'unit',
  '/api/roles/:id': 'role',
  '/api/customer-filters/:id': 'savedFilter',
  '/api/customers/exports/:id': 'exportJob',
  '/api/appointment-resources/:id': 'appointmentResource',
  '/api/appointment-slots/:id': 'appointmentSlot',
  '/api/appointments/:id': 'appointment',
  '/api/services/requests/:id': 'serviceRequest',
  '/api/solutions/:id': 'solution',
  '/api/outages/:id': 'outage',
  '/api/services/partners/:id': 'partner',
  '/api/managers/tasks/:id': 'managerTask',
  '/api/managers/task-assignments/:id': 'taskAssignment',
  '/api/work-plans/:id': 'workPlan',
  '/api/work-plan-items/:id': 'workPlanItem',
  '/api/work-logs/:id': 'workLog',
  '/api/reminders/:id': 'reminder',
  '/api/scorecards/:id': 'scorecard',
  '/api/scorecard-weights/:id': 'unit',
  '/api/managers/:id': 'user',
  '/api/system/clients/:id': 'apiClient',
  '/api/analysis/churn/customers/:id': 'customer',
  '/api/analysis/queries/:id': 'analysisQuery',
  '/api/analysis/segments/:id': 'analysisSegment',
  '/api/analysis/campaigns/:id': 'analysisCampaign',
};

/** Routes with a parameter that names nothing of a unit, with the reason. */
const UNSCOPED: Record<string, string> = {
  '/api/points/catalogue/:id': 'the redemption catalogue belongs to the organisation as a whole',
  '/api/rules/runs/:id': 'a monthly run rates the whole organisation (rules.run)',
  '/api/rules/:family': 'rule versions belong to the organisation as a whole',
  '/api/problems/:code': 'public documentation of the error codes',
  '/api/solution-products/:id': 'the solutions catalogue belongs to the organisation as a whole (solutions.catalogue)',
  '/api/services/sla/policies/:id': 'the SLA policies belong to the organisation as a whole (services.sla)',
  '/api/partner/v1/verifications/:id': 'a partner’s own verification, called with its key (no user, no unit): another partner’s answers 404 (partners.test.ts)',
  '/api/services/sla/holidays/:day': 'a date of the holiday calendar, which belongs to the organisation as a whole (services.sla)',
  '/api/system/jobs/:name': 'a scheduled job of the platform, run for the whole organisation (system.operate)',
  '/tmf-api/customerManagement/v4/hub/:id': 'a listener of the TMF hub, which belongs to the platform: a client removes only its own, a user needs integrations.manage',
  '/tmf-api/partyManagement/v4/hub/:id': 'a listener of the TMF hub, which belongs to the platform: a client removes only its own, a user needs integrations.manage',
  '/tmf-api/troubleTicket/v4/hub/:id': 'a listener of the TMF hub, which belongs to the platform: a client removes only its own, a user needs integrations.manage',
  '/tmf-api/loyaltyManagement/v4/hub/:id': 'a listener of the TMF hub, which belongs to the platform: a client removes only its own, a user needs integrations.manage',
  '/api/system/events/subscriptions/:id': 'a listener of the TMF hubs, which belongs to the platform (integrations.manage)',
  '/api/integration/billing-batches/:batchId': 'a BOSS batch id, not a record of a unit: another unit’s batch answers 404, another client’s too (boss.test.ts)',
  '/api/integration/extracts/:name': 'a file of the whole organisation, served only to users whose scope is the whole organisation (boss.test.ts)',
  '/api/analysis/indicators/:code': 'the indicator catalogue belongs to the organisation as a whole (analysis.read)',
  '/api/analysis/indicators/derived/:id': 'the derived indicators belong to the organisation’s catalogue (analysis.indicators)',
  '/api/analysis/dashboards/:id': 'a dashboard is a definition of the organisation’s; its figures are read in the reader’s scope (analysis.read)',
  '/api/analysis/rollups/:month': 'a month of the analysis rollup, rebuilt for the whole organisation (analysis.indicators or system.operate)',
};

/** Values of the other parameters of a route. */
const OTHER_PARAMS: Record<string, string> = { code: 'vip_lounge', attachmentId: '1', credentialId: '1', secretId: '1', type: 'birthday', certificationId: '1', indicator: 'visits', customerId: '1' };

const resourceOf = (url: string) => url.match(/^(.*?\/:\w+)/)?.[1];
const MISSING = 987_654_321;

let sys: TestSystem;
let admin: Session;
/** The records out of reach: another city's (深圳) and, for an account manager, another manager's of 广州 (gz_am02). */
const otherCity = {} as Record<Kind, number>;
const otherManager = {} as Record<Kind, number>;
let catalogueItemId: number;

const one = async <T>(query: ReturnType<typeof sql>) => (await sys.database.rows<T>(query))[0]!;
const idOf = async (query: ReturnType<typeof sql>) => Number((await one<{ id: number }>(query)).id);
const userId = (username: string) => idOf(sql`SELECT id FROM users WHERE username = ${username}`);
const unitIdOf = (code: string) => idOf(sql`SELECT id FROM org_units WHERE code = ${code}`);

async function customerOf(customerNo: string, unitCode: string, manager: string) {
  const res = await admin.request({
    method: 'POST',
    url: '/api/customers',
    payload: { customerNo, kind: 'group', name: `${customerNo} 科技有限公司`, unitId: await unitIdOf(unitCode), managerId: await userId(manager), contactPhone: '13812345678' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().customer.id as number;
}

/** A customer with a pending discount request (by its manager), an open candidacy, and a saved filter and an export of the manager. */
async function recordsOf(into: Record<Kind, number>, customerNo: string, unitCode: string, manager: string) {
  into.customer = await customerOf(customerNo, unitCode, manager);
  const owner = await sys.login(manager);
  const asked = await owner.request({ method: 'POST', url: `/api/customers/${into.customer}/discounts`, payload: { amount: '100', months: 3, reason: '续约挽留' } });
  expect(asked.statusCode, asked.body).toBe(201);
  into.discount = asked.json().id;
  into.candidate = await idOf(sql`INSERT INTO potential_candidates (customer_id, month, reasons) VALUES (${into.customer}, '2026-10-01', '{}') RETURNING id`);
  const saved = await owner.request({ method: 'POST', url: '/api/customer-filters', payload: { name: '我的集团客户', filter: { kind: 'group' } } });
  expect(saved.statusCode, saved.body).toBe(201);
  into.savedFilter = saved.json().id;
  into.exportJob = await idOf(sql`
    INSERT INTO export_jobs (user_id, kind, format, file_name, params, status)
    VALUES (${await userId(manager)}, 'customers', 'csv', '客户清单.csv', '{}', 'running') RETURNING id`);
  const raised = await owner.request({ method: 'POST', url: '/api/services/requests', payload: { customerId: into.customer, type: 'fault', channel: 'manager', title: '专线中断' } });
  expect(raised.statusCode, raised.body).toBe(201);
  into.serviceRequest = raised.json().id;
  // a task of the city head for the manager
  into.managerTask = await idOf(sql`
    INSERT INTO manager_tasks (title, due_on, unit_id, issued_by, target)
    SELECT '走访客户', '2030-01-31', u.unit_id, u.id, '{"kind":"manager","label":"","count":1}'::jsonb FROM users u WHERE u.username = ${`${manager.split('_')[0]}_head`} RETURNING id`);
  into.taskAssignment = await idOf(sql`INSERT INTO manager_task_assignments (task_id, manager_id) VALUES (${into.managerTask}, ${await userId(manager)}) RETURNING id`);
  // the manager's work plan with an item of the customer, and a log entry of it
  into.workPlan = await idOf(sql`INSERT INTO work_plans (manager_id, period, starts_on, ends_on) VALUES (${await userId(manager)}, 'week', '2026-11-30', '2026-12-06') RETURNING id`);
  into.workPlanItem = await idOf(sql`INSERT INTO work_plan_items (plan_id, customer_id, kind, planned_on) VALUES (${into.workPlan}, ${into.customer}, 'visit', '2026-12-01') RETURNING id`);
  into.workLog = await idOf(sql`INSERT INTO work_logs (manager_id, customer_id, logged_on, kind, outcome) VALUES (${await userId(manager)}, ${into.customer}, '2026-12-01', 'call', '电话沟通') RETURNING id`);
  // the manager's closed scorecard of a month
  into.scorecard = await idOf(sql`
    INSERT INTO scorecards (month, manager_id, unit_id, status) SELECT '2026-10-01', u.id, u.unit_id, 'closed' FROM users u WHERE u.username = ${manager} RETURNING id`);
  // a reminder of the manager
  into.reminder = await idOf(sql`
    INSERT INTO reminders (manager_id, type, item_key, customer_id, entity, entity_id, due_on, generated_on)
    VALUES (${await userId(manager)}, 'arrears', ${`arrears:${into.customer}:2026-11`}, ${into.customer}, 'customer', ${into.customer}, '2026-11-20', '2026-11-20') RETURNING id`);
}

/** A VIP lounge of the city with a slot the day after tomorrow, booked for the customer (by default the records' own). */
async function bookingOf(into: Record<Kind, number>, cityCode: string, customerId = into.customer) {
  into.appointmentResource = await idOf(sql`INSERT INTO appointment_resources (kind, name, unit_id) SELECT 'vip_lounge', '贵宾厅', id FROM org_units WHERE code = ${cityCode} RETURNING id`);
  into.appointmentSlot = await idOf(sql`
    INSERT INTO appointment_slots (resource_id, starts_at, ends_at, capacity, booked)
    VALUES (${into.appointmentResource}, now() + interval '2 days', now() + interval '2 days 1 hour', 2, 1) RETURNING id`);
  into.appointment = await idOf(sql`INSERT INTO appointments (slot_id, customer_id, purpose) VALUES (${into.appointmentSlot}, ${customerId}, '续约面谈') RETURNING id`);
  return into;
}

/** A user of 广州 with every permission: every route is open to them, so only the data scope can refuse. */
async function cityUserWithEveryPermission(): Promise<Session> {
  const role = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'gz_everything', name: '广州全部权限', permissions: ALL_PERMISSIONS } });
  expect(role.statusCode, role.body).toBe(201);
  const user = await admin.request({
    method: 'POST',
    url: '/api/users',
    payload: { username: 'gz_all', displayName: '广州全权', unitId: await unitIdOf('GD-GZ'), roleIds: [role.json().id], password: 'Start#2026pass' },
  });
  expect(user.statusCode, user.body).toBe(201);
  const first = await sys.login('gz_all', 'Start#2026pass');
  const changed = await first.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Start#2026pass', newPassword: 'Scope#Walk2026!' } });
  expect(changed.statusCode, changed.body).toBe(204);
  return sys.login('gz_all', 'Scope#Walk2026!');
}

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  await recordsOf(otherCity, 'W-SZ-001', 'GD-SZ-01', 'sz_am01');
  await recordsOf(otherManager, 'W-GZ-002', 'GD-GZ-01', 'gz_am02');
  otherCity.import = await idOf(sql`
    INSERT INTO import_jobs (kind, file_name, unit_path, actor_username, status) SELECT 'customers', '深圳客户.csv', path, 'sz_head', 'succeeded'
    FROM org_units WHERE code = 'GD-SZ' RETURNING id`);
  await bookingOf(otherCity, 'GD-SZ');
  otherManager.appointment = (await bookingOf({} as Record<Kind, number>, 'GD-GZ', otherManager.customer)).appointment;
  for (const into of [otherCity, otherManager]) {
    into.solution = await idOf(sql`INSERT INTO solutions (customer_id, kind, title) VALUES (${into.customer}, 'group', '信息化升级方案') RETURNING id`);
    // a submitted outage of the customer's unit touching only that customer (another manager's, or another city's)
    into.outage = await idOf(sql`
      INSERT INTO planned_outages (title, kind, area_unit_id, starts_at, ends_at, status, affected_count)
      SELECT '核心网割接', 'cutover', unit_id, now() + interval '4 days', now() + interval '4 days 4 hours', 'pending_approval', 1 FROM customers WHERE id = ${into.customer} RETURNING id`);
    await sys.database.db.execute(sql`INSERT INTO outage_customers (outage_id, customer_id) VALUES (${into.outage}, ${into.customer})`);
  }
  // a partner kept by 深圳, with a key
  otherCity.partner = await idOf(sql`INSERT INTO partners (code, name, industry, unit_id) SELECT 'SZ-HOTEL', '深圳某酒店', 'hotel', id FROM org_units WHERE code = 'GD-SZ' RETURNING id`);
  await sys.database.db.execute(sql`INSERT INTO partner_credentials (partner_id, key_id, secret_hash) VALUES (${otherCity.partner}, 'pk_00000000000000000001', repeat('0', 64))`);
  // an API client acting for 深圳, with a secret
  otherCity.apiClient = await idOf(sql`INSERT INTO api_clients (client_id, name, unit_id, scopes) SELECT 'cl_walk_sz', '深圳接口', id, '{tmf629.read}' FROM org_units WHERE code = 'GD-SZ' RETURNING id`);
  await sys.database.db.execute(sql`INSERT INTO api_client_secrets (api_client_id, secret_hash, hint) VALUES (${otherCity.apiClient}, repeat('0', 64), 'xxxx…')`);
  // 深圳's shared query, target group and running campaign (of its customer)
  const szTree = sql`'{"match":"all","conditions":[{"field":"kind","op":"eq","value":"group"}]}'::jsonb`;
  otherCity.analysisQuery = await idOf(sql`INSERT INTO analysis_saved_queries (name, tree, owner_id, unit_id, shared) SELECT '深圳集团客户', ${szTree}, id, unit_id, true FROM users WHERE username = 'sz_head' RETURNING id`);
  otherCity.analysisSegment = await idOf(sql`INSERT INTO analysis_segments (name, tree, owner_id, unit_id) SELECT '深圳集团客户', ${szTree}, id, unit_id FROM users WHERE username = 'sz_head' RETURNING id`);
  otherCity.analysisCampaign = await idOf(sql`
    INSERT INTO analysis_campaigns (name, channel, starts_on, ends_on, offer, status, segment_id, owner_id, unit_id)
    SELECT '深圳专线推广', 'visit', '2026-11-01', '2026-12-31', '专线 8 折', 'running', ${otherCity.analysisSegment}, id, unit_id FROM users WHERE username = 'sz_head' RETURNING id`);
  await sys.database.db.execute(sql`INSERT INTO analysis_campaign_members (campaign_id, customer_id, unit_id, manager_id) SELECT ${otherCity.analysisCampaign}, id, unit_id, manager_id FROM customers WHERE id = ${otherCity.customer}`);
  otherCity.user = await userId('sz_am01');
  otherCity.unit = await unitIdOf('GD-SZ');
  const role = await admin.request({ method: 'POST', url: '/api/roles', payload: { code: 'sz_clerk', name: '深圳录入员', permissions: ['customers.read'], unitId: otherCity.unit } });
  expect(role.statusCode, role.body).toBe(201);
  otherCity.role = role.json().id;
  catalogueItemId = ((await admin.request({ method: 'GET', url: '/api/points/catalogue' })).json() as { id: number }[])[0]!.id;
}, 120_000);
afterAll(() => sys?.close());

/** The catalogue's routes with an id, walked by the kind of record their first id names. */
const walked = () => sys.app.accessCatalogue.filter((r) => resourceOf(r.url) && RECORD_KINDS[resourceOf(r.url)!]);

async function versionOf(kind: Kind, id: number): Promise<number> {
  const table = {
    customer: 'customers', discount: 'discount_requests', candidate: 'potential_candidates', user: 'users', unit: 'org_units', role: 'roles',
    appointmentResource: 'appointment_resources', appointmentSlot: 'appointment_slots', appointment: 'appointments',
    solution: 'solutions', serviceRequest: 'service_requests', outage: 'planned_outages', partner: 'partners', managerTask: 'manager_tasks', taskAssignment: 'manager_task_assignments', reminder: 'reminders',
    workPlan: 'work_plans', workPlanItem: 'work_plan_items', workLog: 'work_logs', scorecard: 'scorecards', apiClient: 'api_clients',
    analysisQuery: 'analysis_saved_queries', analysisSegment: 'analysis_segments', analysisCampaign: 'analysis_campaigns',
  }[kind as string];
  return table ? Number((await one<{ version: number }>(sql`SELECT version FROM ${sql.identifier(table)} WHERE id = ${id}`)).version) : 1;
}

/** Every record a write could touch, as one hash per table (the audit trail and sessions aside: refusals are audited). */
async function fingerprint() {
  const tables = [
    'customers', 'key_persons', 'visits', 'customer_changes', 'lifecycle_events', 'portfolio_assignments', 'points_accounts', 'points_ledger',
    'benefit_usages', 'discount_requests', 'potential_candidates', 'import_jobs', 'users', 'user_roles', 'roles', 'org_units', 'saved_filters',
    'appointment_resources', 'appointment_slots', 'appointments', 'service_requests', 'service_request_events', 'service_request_attachments', 'solutions', 'solution_items', 'customer_products',
    'planned_outages', 'outage_customers', 'outbound_messages', 'partners', 'partner_credentials', 'manager_tasks', 'manager_task_assignments', 'manager_task_reports', 'reminders', 'reminder_settings',
    'work_plans', 'work_plan_items', 'work_logs', 'work_comments', 'scorecards', 'scorecard_lines', 'scorecard_weights',
    'api_clients', 'api_client_secrets', 'api_tokens',
    'analysis_saved_queries', 'analysis_segments', 'analysis_segment_members', 'analysis_campaigns', 'analysis_campaign_members',
  ];
  return one<Record<string, string>>(sql`SELECT ${sql.join(
    tables.map((t) => sql`(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${sql.identifier(t)} x) AS ${sql.identifier(t)}`),
    sql`, `,
  )}`);
}

/** The problem without what names the request itself (its path and id). */
function problemOf(body: string) {
  try {
    const { instance: _instance, requestId: _requestId, ...rest } = JSON.parse(body) as Record<string, unknown>;
    return rest;
  } catch {
    return { body };
  }
}

/**
 * Asks every walked route as `who` for the records of `targets`; answers the departures from the policy.
 * `refs` fills the sample bodies with records of the caller's own scope (a manager to assign, a customer to merge).
 */
async function walk(who: Session, targets: Partial<Record<Kind, number>>, refs: Omit<SampleRefs, 'version'>) {
  const me = (await who.request({ method: 'GET', url: '/api/me' })).json() as { permissions: string[] };
  const failures: string[] = [];
  const asked = new Set<Kind>();
  for (const route of walked()) {
    const kind = RECORD_KINDS[resourceOf(route.url)!]!;
    const id = targets[kind];
    if (id === undefined) continue;
    const params = (recordId: number) =>
      route.url.replace(/:(\w+)/g, (_, name: string, at: number) => (at === route.url.indexOf(':') ? String(recordId) : (OTHER_PARAMS[name] ?? `?${name}`)));
    const payload = sampleBody(route, { ...refs, version: await versionOf(kind, id) });
    const ask = (recordId: number) => who.request({ method: route.method as 'GET', url: params(recordId), ...(payload && { payload }) });
    const missing = await ask(MISSING);
    const outside = await ask(id);
    asked.add(kind);
    // a route of access 'machine' serves a signed-in user holding its permission
    const permitted = route.access === 'authenticated' || me.permissions.includes(route.machine?.permission ?? route.access);
    const expected = permitted ? 404 : 403;
    const same = JSON.stringify(problemOf(outside.body)) === JSON.stringify(problemOf(missing.body));
    if (outside.statusCode !== expected || missing.statusCode !== expected || !same) {
      failures.push(`${routeKey(route)} on a ${kind}: ${outside.statusCode} ${outside.body.slice(0, 160)} | missing: ${missing.statusCode}`);
    }
  }
  return { failures, asked: [...asked].sort() };
}

describe('data scope over the route catalogue (数据范围)', () => {
  it('knows what every route’s first parameter names; the unscoped ones are listed with their reason', () => {
    const resources = [...new Set(sys.app.accessCatalogue.map((r) => resourceOf(r.url)).filter((r): r is string => !!r))].sort();
    expect(resources).toEqual([...Object.keys(RECORD_KINDS), ...Object.keys(UNSCOPED)].sort());
    expect(walked().length).toBeGreaterThan(30);
    for (const r of walked()) {
      for (const [, name] of r.url.slice(r.url.indexOf(':') + 1).matchAll(/:(\w+)/g)) expect(OTHER_PARAMS, `${routeKey(r)}`).toHaveProperty(name!);
    }
  });

  it.each([
    ['an account manager (gz_am01), another manager’s customer of 广州', 'gz_am01', 'otherManager'],
    ['an account manager (gz_am01), the records of 深圳', 'gz_am01', 'otherCity'],
    ['the city head of 广州, the records of 深圳', 'gz_head', 'otherCity'],
    ['a service agent of 广州, the records of 深圳', 'gz_agent', 'otherCity'],
  ] as const)('%s: 404 as for a missing record, or 403 without the permission; nothing changes', async (_who, username, target) => {
    const who = await sys.login(username);
    const before = await fingerprint();
    const targets = target === 'otherCity' ? otherCity : otherManager;
    const { failures, asked } = await walk(who, targets, {
      managerId: await userId('gz_am03'),
      duplicate: { id: otherManager.customer, version: await versionOf('customer', otherManager.customer) },
      catalogueItemId,
    });
    expect(failures).toEqual([]);
    expect(asked).toEqual(Object.keys(targets).sort());
    expect(await fingerprint()).toEqual(before);
  });

  it('a user of 广州 holding every permission reaches no record of 深圳 through any route', async () => {
    const who = await cityUserWithEveryPermission();
    const mine = await customerOf('W-GZ-003', 'GD-GZ-02', 'gz_am01');
    const before = await fingerprint();
    const { failures, asked } = await walk(who, otherCity, {
      managerId: await userId('gz_am03'),
      duplicate: { id: mine, version: await versionOf('customer', mine) },
      catalogueItemId,
    });
    expect(failures).toEqual([]);
    // (several resources may name one kind of record: a manager is a user, a unit's scorecard weights its unit)
    expect(asked).toEqual([...new Set(Object.values(RECORD_KINDS))].sort());
    expect(await fingerprint()).toEqual(before);
  });
});

describe('a service agent serves the key accounts of their city (营业厅 / 热线坐席)', () => {
  let agent: Session;
  let gzCustomer: number;

  beforeAll(async () => {
    agent = await sys.login('gz_agent');
    gzCustomer = otherManager.customer;
  });

  it('lists every key account of 广州 and none of another city', async () => {
    const res = await agent.request({ method: 'GET', url: '/api/customers?limit=1' });
    const [gz] = await sys.database.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM customers c JOIN org_units u ON u.id = c.unit_id
      WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ')`);
    expect(Number(res.headers['x-total-count'])).toBe(gz!.n);
    expect(gz!.n).toBeGreaterThan(1);
    const units = (await agent.request({ method: 'GET', url: '/api/customers?limit=100' })).json() as { unitId: number }[];
    const gzUnits = await sys.database.rows<{ id: number }>(sql`SELECT id FROM org_units WHERE path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ')`);
    expect(units.every((c) => gzUnits.some((u) => Number(u.id) === c.unitId))).toBe(true);
  });

  it('finds a key account of 广州 by its full phone number, not one of 深圳', async () => {
    const byPhone = async (msisdn: string) => (await agent.request({ method: 'GET', url: `/api/customers?q=${msisdn}` })).json() as { id: number }[];
    const [gz] = await sys.database.rows<{ msisdn: string; customer_id: number }>(sql`
      SELECT s.msisdn, s.customer_id FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN org_units u ON u.id = c.unit_id
      WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ') ORDER BY s.id LIMIT 1`);
    const [sz] = await sys.database.rows<{ msisdn: string }>(sql`
      SELECT s.msisdn FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN org_units u ON u.id = c.unit_id
      WHERE u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-SZ') ORDER BY s.id LIMIT 1`);
    expect((await byPhone(gz!.msisdn)).map((c) => c.id)).toContain(Number(gz!.customer_id));
    expect(await byPhone(sz!.msisdn)).toEqual([]);
  });

  it('reads every page of any 广州 key account, personal data masked; changes none of it', async () => {
    const reads = sys.app.accessCatalogue.filter((r) => r.method === 'GET' && resourceOf(r.url) === '/api/customers/:id');
    expect(reads.length).toBeGreaterThan(8);
    for (const r of reads) {
      const res = await agent.request({ method: 'GET', url: r.url.replace(':id', String(gzCustomer)).replace(':code', OTHER_PARAMS.code!) });
      expect(res.statusCode, `${routeKey(r)}: ${res.body}`).toBe(200);
    }
    expect((await agent.request({ method: 'GET', url: `/api/customers/${gzCustomer}` })).json().contactPhone).toBe('138****5678');
    const before = await fingerprint();
    const writes = sys.app.accessCatalogue.filter((r) => r.method !== 'GET' && resourceOf(r.url) === '/api/customers/:id');
    const served = new Set(['POST /api/customers/:id/points/redeem', 'POST /api/customers/:id/benefits/:code/use']);
    for (const r of writes.filter((w) => !served.has(routeKey(w)))) {
      const payload = sampleBody(r, { version: await versionOf('customer', gzCustomer), managerId: 1, duplicate: { id: 1, version: 1 }, catalogueItemId });
      const res = await agent.request({ method: r.method as 'POST', url: r.url.replace(':id', String(gzCustomer)), ...(payload && { payload }) });
      expect([res.statusCode, res.json().code], routeKey(r)).toEqual([403, 'forbidden']);
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('serves the area derived from the unit tree: its city for an outlet or a county, itself for a city, province or HQ', async () => {
    const units = await sys.database.rows<{ id: number; path: string; kind: string; area: string }>(
      sql`SELECT u.id, u.path, u.kind, ${servedAreaPath(sql`u.path`)} AS area FROM org_units u`,
    );
    const byId = new Map(units.map((u) => [String(u.id), u]));
    const expected = (u: (typeof units)[number]) =>
      u.path.split('/').filter(Boolean).map((id) => byId.get(id)!).filter((a) => ['city', 'province', 'hq'].includes(a.kind)).at(-1)?.path ?? u.path;
    expect(new Set(units.map((u) => u.kind))).toEqual(new Set(['hq', 'province', 'city', 'county', 'outlet']));
    expect(units.filter((u) => u.area !== expected(u))).toEqual([]);
  });

  it('a hotline agent at the province unit serves the key accounts of the whole province', async () => {
    const role = ((await admin.request({ method: 'GET', url: '/api/roles' })).json() as { id: number; code: string }[]).find((r) => r.code === 'service_agent')!;
    const created = await admin.request({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'gd_hotline', displayName: '省热线坐席', unitId: await unitIdOf('GD'), roleIds: [role.id], password: 'Start#2026pass' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const first = await sys.login('gd_hotline', 'Start#2026pass');
    expect((await first.request({ method: 'POST', url: '/api/me/password', payload: { currentPassword: 'Start#2026pass', newPassword: 'Hotline#2026!' } })).statusCode).toBe(204);
    const hotline = await sys.login('gd_hotline', 'Hotline#2026!');
    const [all] = await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers`);
    expect(Number((await hotline.request({ method: 'GET', url: '/api/customers?limit=1' })).headers['x-total-count'])).toBe(all!.n);
    expect((await hotline.request({ method: 'GET', url: `/api/customers/${otherCity.customer}` })).statusCode).toBe(200);
  });

  it('redeems points and records a benefit use for a 广州 key account at the counter', async () => {
    const promo = await admin.request({ method: 'POST', url: `/api/customers/${gzCustomer}/points/promo`, payload: { points: 5000, reason: '开户礼' } });
    expect(promo.statusCode, promo.body).toBe(201);
    const redeemed = await agent.request({ method: 'POST', url: `/api/customers/${gzCustomer}/points/redeem`, payload: { itemId: catalogueItemId, quantity: 1 } });
    expect(redeemed.statusCode, redeemed.body).toBe(201);
    expect(redeemed.json().entry).toMatchObject({ kind: 'redeem', actor: 'gz_agent' });
    const run = await admin.request({ method: 'POST', url: '/api/rules/runs', payload: { month: '2026-10' } });
    expect(run.statusCode, run.body).toBe(201);
    const [rated] = await sys.database.rows<{ id: number }>(sql`
      SELECT c.id FROM customer_ratings r JOIN customers c ON c.id = r.customer_id JOIN org_units u ON u.id = c.unit_id
      WHERE r.month = '2026-10-01' AND r.level IN ('5s', '5g', '5d') AND u.path LIKE (SELECT path || '%' FROM org_units WHERE code = 'GD-GZ')
      ORDER BY c.id LIMIT 1`);
    const used = await agent.request({ method: 'POST', url: `/api/customers/${rated!.id}/benefits/vip_lounge/use`, payload: { quantity: 1, note: '白云机场 T2 贵宾厅' } });
    expect(used.statusCode, used.body).toBe(201);
  });
});
