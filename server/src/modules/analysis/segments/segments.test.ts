import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { todayAt } from '../../../platform/months.js';
import type { Permission } from '../../../platform/auth/permissions.js';
import { makeDeps } from '../../../platform/deps.js';
import type { Campaign, HandOff, Segment } from './schemas.js';
import { campaignFigures } from './service.js';

let sys: TestSystem;
let gdHead: Session;
let gzHead: Session;
let szHead: Session;
let analyst: Session;

const DAY_MS = 86_400_000;
const dayAfter = (n: number) => new Date(Date.parse(todayAt()) + n * DAY_MS).toISOString().slice(0, 10);
const post = (s: Session, url: string, payload: unknown) => s.request({ method: 'POST', url, payload: payload as Record<string, unknown> });
const get = (s: Session, url: string) => s.request({ method: 'GET', url });
async function ok<T>(res: Awaited<ReturnType<Session['request']>>, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
const groups = { match: 'all', conditions: [{ field: 'kind', op: 'eq', value: 'group' }] };
const count = async (query: ReturnType<typeof sql>) => Number((await sys.database.rows<{ n: number }>(query))[0]!.n);
const inCity = (code: string) => sql`u.path LIKE (SELECT path || '%' FROM org_units WHERE code = ${code})`;

beforeAll(async () => {
  sys = await startTestSystem({ LOG_LEVEL: 'error', DEMO_CUSTOMERS: 200 });
  [gdHead, gzHead, szHead, analyst] = await Promise.all([sys.login('gd_head'), sys.login('gz_head'), sys.login('sz_head'), sys.login('gd_analyst')]);
}, 180_000);
afterAll(() => sys?.close());

describe('segments', () => {
  it('size and profile at once, within the reader’s scope', async () => {
    const seg = await ok<Segment>(await post(gdHead, '/api/analysis/segments', { name: '集团客户', tree: groups }), 201);
    expect(seg.mode).toBe('live');
    const all = await count(sql`SELECT count(*)::int AS n FROM customers WHERE kind = 'group' AND merged_into IS NULL`);
    const detail = await ok<Segment & { profile: { size: number; byKind: { key: string; customers: number }[]; byCity: { label: string; labelEn: string | null; customers: number }[]; byIndustry: unknown[]; avgBilled: number | null } }>(await get(gdHead, `/api/analysis/segments/${seg.id}`));
    expect(detail.profile.size).toBe(all);
    expect(detail.profile.byKind).toEqual([expect.objectContaining({ key: 'group', customers: all })]);
    expect(detail.profile.byCity.reduce((a, b) => a + b.customers, 0)).toBe(all);
    expect(detail.profile.byCity.every((b) => b.label)).toBe(true);
    expect(detail.profile.byCity.find((b) => b.label === '广州分公司')).toMatchObject({ labelEn: 'Guangzhou Branch' });
    // a city head sees the segment of the province (their unit is in its subtree) but only their city's customers
    const gz = await ok<typeof detail>(await get(gzHead, `/api/analysis/segments/${seg.id}`));
    const gzGroups = await count(sql`SELECT count(*)::int AS n FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE c.kind = 'group' AND c.merged_into IS NULL AND ${inCity('GD-GZ')}`);
    expect(gz.profile.size).toBe(gzGroups);
    expect(gz.profile.size).toBeLessThan(all);
    // a city's segment is not visible to another city
    const gzSeg = await ok<Segment>(await post(gzHead, '/api/analysis/segments', { name: '广州集团', tree: groups }), 201);
    expect((await get(szHead, `/api/analysis/segments/${gzSeg.id}`)).statusCode).toBe(404);
  });

  it('frozen keeps its snapshot; live follows the data', async () => {
    const tree = { match: 'all', conditions: [{ field: 'kind', op: 'eq', value: 'group' }, { field: 'strategic', op: 'eq', value: true }] };
    const live = await ok<Segment>(await post(gdHead, '/api/analysis/segments', { name: '战略客户（动态）', tree }), 201);
    const frozen = await ok<Segment>(await post(gdHead, '/api/analysis/segments', { name: '战略客户（冻结）', tree, mode: 'frozen' }), 201);
    expect(frozen.mode).toBe('frozen');
    expect(frozen.frozenAt).not.toBeNull();
    const before = frozen.frozenSize!;
    expect(await count(sql`SELECT count(*)::int AS n FROM analysis_segment_members WHERE segment_id = ${frozen.id}`)).toBe(before);
    // three more strategic group customers
    await sys.database.rows(sql`UPDATE customers SET strategic = true WHERE id IN (SELECT id FROM customers WHERE kind = 'group' AND NOT strategic ORDER BY id LIMIT 3)`);
    const size = async (id: number) => (await ok<{ profile: { size: number } }>(await get(gdHead, `/api/analysis/segments/${id}`))).profile.size;
    expect(await size(live.id)).toBe(before + 3);
    expect(await size(frozen.id)).toBe(before);
    // re-freezing takes the snapshot again; going live drops it
    const again = await ok<Segment>(await post(gdHead, `/api/analysis/segments/${frozen.id}/mode`, { version: frozen.version, mode: 'frozen' }));
    expect(again.frozenSize).toBe(before + 3);
    expect((await post(gdHead, `/api/analysis/segments/${frozen.id}/mode`, { version: frozen.version, mode: 'live' })).statusCode).toBe(409);
    const gone = await ok<Segment>(await post(gdHead, `/api/analysis/segments/${frozen.id}/mode`, { version: again.version, mode: 'live' }));
    expect(gone.mode).toBe('live');
    expect(await count(sql`SELECT count(*)::int AS n FROM analysis_segment_members WHERE segment_id = ${frozen.id}`)).toBe(0);
    // only the owner changes it
    expect((await post(gzHead, `/api/analysis/segments/${live.id}/mode`, { version: live.version, mode: 'frozen' })).statusCode).toBe(403);
  });

  it('exports masked unless the reader holds customers.export_pii', async () => {
    const seg = await ok<Segment>(await post(gdHead, '/api/analysis/segments', { name: '导出', tree: { match: 'all', conditions: [{ field: 'kind', op: 'eq', value: 'individual' }] } }), 201);
    const res = await get(gdHead, `/api/analysis/segments/${seg.id}/export?format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('客户编号');
    const individuals = await count(sql`SELECT count(*)::int AS n FROM customers WHERE kind = 'individual' AND merged_into IS NULL`);
    expect(lines.length - 1).toBe(individuals);
    expect(res.body).toMatch(/1\d{2}\*{4}\d{4}/); // masked phones
    expect(res.body).not.toMatch(/,1\d{10},/);
    // the analyst (customers.export without export_pii) asking for personal data is refused
    expect((await get(analyst, `/api/analysis/segments/${seg.id}/export?format=csv&pii=true`)).statusCode).toBe(403);
    const audit = await sys.database.rows<{ after: { segment: { id: number }; rows: number } }>(sql`SELECT after FROM audit_log WHERE entity = 'customer' AND action = 'export' ORDER BY id DESC LIMIT 1`);
    expect(audit[0]!.after).toMatchObject({ segment: { id: seg.id }, rows: individuals });
    const xlsx = await get(gdHead, `/api/analysis/segments/${seg.id}/export?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses an export larger than SEGMENT_EXPORT_MAX_ROWS: 413 naming both, nothing streamed, nothing audited', async () => {
    const seg = await ok<Segment>(await post(gdHead, '/api/analysis/segments', { name: '导出上限', tree: groups }), 201);
    const size = (await ok<{ profile: { size: number }; exportLimit: number }>(await get(gdHead, `/api/analysis/segments/${seg.id}`))).profile.size;
    const exports = () => count(sql`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'customer' AND action = 'export'`);
    const before = await exports();
    const limit = sys.config.SEGMENT_EXPORT_MAX_ROWS;
    // the app's deps hold this config object: the limit lowered for this test only
    sys.config.SEGMENT_EXPORT_MAX_ROWS = size - 1;
    try {
      expect((await ok<{ exportLimit: number }>(await get(gdHead, `/api/analysis/segments/${seg.id}`))).exportLimit).toBe(size - 1);
      const res = await gdHead.request({ method: 'GET', url: `/api/analysis/segments/${seg.id}/export?format=csv`, headers: { 'accept-language': 'en-US' } });
      expect(res.statusCode, res.body).toBe(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json() as { code: string; title: string };
      expect(problem.code).toBe('segment_export_too_large');
      expect(problem.title).toContain(String(size));
      expect(problem.title).toContain(String(size - 1));
      const zh = (await get(gdHead, `/api/analysis/segments/${seg.id}/export?format=xlsx`)).json() as { title: string };
      expect(zh.title).toMatch(/目标客户群有 \d+ 户/);
      expect(await exports()).toBe(before);
      // at the limit it streams
      sys.config.SEGMENT_EXPORT_MAX_ROWS = size;
      expect((await get(gdHead, `/api/analysis/segments/${seg.id}/export?format=csv`)).statusCode).toBe(200);
      expect(await exports()).toBe(before + 1);
    } finally {
      sys.config.SEGMENT_EXPORT_MAX_ROWS = limit;
    }
  });

  it('hands the segment to its managers: one task each, through the task service', async () => {
    const seg = await ok<Segment>(await post(gzHead, '/api/analysis/segments', { name: '广州集团客户', tree: groups }), 201);
    const handed = await ok<HandOff>(await post(gzHead, `/api/analysis/segments/${seg.id}/tasks`, { title: '走访集团客户', dueOn: dayAfter(10) }), 201);
    const holders = await sys.database.rows<{ m: number; n: number }>(
      sql`SELECT c.manager_id AS m, count(*)::int AS n FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE c.kind = 'group' AND c.merged_into IS NULL AND c.manager_id IS NOT NULL AND ${inCity('GD-GZ')} GROUP BY 1`,
    );
    expect(handed.tasks.length + handed.skipped.length).toBe(holders.length);
    expect(handed.tasks.length).toBeGreaterThan(0);
    for (const t of handed.tasks) {
      expect(holders.find((h) => Number(h.m) === t.managerId)?.n).toBe(t.customers);
      const [task] = await sys.database.rows<{ target: { kind: string; managerId: number } }>(sql`SELECT target FROM manager_tasks WHERE id = ${t.taskId}`);
      expect(task!.target).toMatchObject({ kind: 'manager', managerId: t.managerId });
      expect(await count(sql`SELECT count(*)::int AS n FROM manager_task_assignments WHERE task_id = ${t.taskId} AND manager_id = ${t.managerId}`)).toBe(1);
    }
    expect((await post(gzHead, `/api/analysis/segments/${seg.id}/tasks`, { title: 'x', dueOn: '2020-01-01' })).statusCode).toBe(400);
  });
});

describe('campaigns', () => {
  let campaign: Campaign;
  let members: { customerId: number; customerNo: string }[];

  it('a campaign from a segment, responses recorded one by one, figures', async () => {
    const seg = await ok<Segment>(await post(gzHead, '/api/analysis/segments', { name: '广州集团（活动）', tree: groups, mode: 'frozen' }), 201);
    campaign = await ok<Campaign>(await post(gzHead, '/api/analysis/campaigns', { name: '5G 专网推广', channel: 'visit', startsOn: todayAt(), endsOn: dayAfter(30), offer: '专线 8 折', segmentId: seg.id }), 201);
    expect(campaign.status).toBe('draft');
    expect(campaign.figures.members).toBe(seg.frozenSize);
    const page = await get(gzHead, `/api/analysis/campaigns/${campaign.id}/members?limit=10`);
    members = page.json() as typeof members;
    expect(members.length).toBeGreaterThan(3);
    // not running yet: no response
    const first = members[0]!;
    expect((await gzHead.request({ method: 'PUT', url: `/api/analysis/campaigns/${campaign.id}/members/${first.customerId}/response`, payload: { response: 'accepted' } })).statusCode).toBe(409);
    campaign = await ok<Campaign>(await post(gzHead, `/api/analysis/campaigns/${campaign.id}/status`, { version: campaign.version, status: 'running' }));
    campaign = await ok<Campaign>(await gzHead.request({ method: 'PUT', url: `/api/analysis/campaigns/${campaign.id}/members/${first.customerId}/response`, payload: { response: 'accepted', note: '已签约' } }));
    await ok(await gzHead.request({ method: 'PUT', url: `/api/analysis/campaigns/${campaign.id}/members/${members[1]!.customerId}/response`, payload: { response: 'no_answer' } }));
    campaign = await ok<Campaign>(await get(gzHead, `/api/analysis/campaigns/${campaign.id}`));
    expect(campaign.figures).toMatchObject({ contacted: 2, responded: 1, accepted: 1, noAnswer: 1, responseRate: 50, acceptanceRate: 50 });
    // another city sees neither the campaign nor its members
    expect((await get(szHead, `/api/analysis/campaigns/${campaign.id}`)).statusCode).toBe(404);
  });

  const upload = (id: number, csv: string) => {
    const boundary = '----q' + Math.random().toString(16).slice(2);
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    return gzHead.request({ method: 'POST', url: `/api/analysis/campaigns/${id}/responses/import`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  };

  it('imports responses from a CSV file: bad rows named, nothing half-way', async () => {
    const [a, b, c] = [members[2]!, members[3]!, members[4]!];
    const [outsider] = await sys.database.rows<{ no: string }>(sql`SELECT customer_no AS no FROM customers c JOIN org_units u ON u.id = c.unit_id WHERE ${inCity('GD-SZ')} LIMIT 1`);
    const bad = await upload(campaign.id, `客户编号,响应,响应时间,备注\n${a.customerNo},接受,2026-11-02,好\n${b.customerNo},也许,,\n${outsider!.no},拒绝,,\n${c.customerNo},拒绝,not a date,\n`);
    expect(bad.statusCode, bad.body).toBe(400);
    const problem = bad.json() as { code: string; errors: { field: string; code: string }[] };
    expect(problem.code).toBe('campaign_import_invalid');
    expect(problem.errors.map((e) => e.field)).toEqual(['file.line[3].response', 'file.line[5].at']);
    // the first pass found no bad value in line 4, the statement finds it is no member: still nothing recorded
    const bad2 = await upload(campaign.id, `客户编号,响应\n${a.customerNo},接受\n${outsider!.no},拒绝\n`);
    expect((bad2.json() as { errors: { field: string; code: string }[] }).errors).toEqual([expect.objectContaining({ field: 'file.line[3].customerNo', code: 'campaign_member_unknown' })]);
    expect(await count(sql`SELECT count(*)::int AS n FROM analysis_campaign_members WHERE campaign_id = ${campaign.id} AND response IS NOT NULL`)).toBe(2);
    const good = await upload(campaign.id, `\uFEFF客户编号,响应,响应时间,备注\r\n${a.customerNo},接受,2026-11-02,"说""好"""\r\n${b.customerNo},declined,,\r\n${c.customerNo},已响应,2026-11-03 10:00:00+08,\r\n`);
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toEqual({ recorded: 3 });
    const after = await ok<Campaign>(await get(gzHead, `/api/analysis/campaigns/${campaign.id}`));
    expect(after.figures).toMatchObject({ contacted: 5, responded: 4, accepted: 2, declined: 1 });
    const [noted] = await sys.database.rows<{ note: string }>(sql`SELECT note FROM analysis_campaign_members m JOIN customers c ON c.id = m.customer_id WHERE c.customer_no = ${a.customerNo} AND m.campaign_id = ${campaign.id}`);
    expect(noted!.note).toBe('说"好"');
  });

  it('campaignFigures: the marketing indicators’ source, by dimension and scope', async () => {
    const deps = makeDeps(sys.config, sys.database);
    const actorOf = async (username: string) => {
      const [u] = await sys.database.rows<{ id: number; path: string }>(sql`SELECT u.id, ou.path FROM users u JOIN org_units ou ON ou.id = u.unit_id WHERE u.username = ${username}`);
      const perms = await sys.database.rows<{ p: Permission }>(sql`SELECT DISTINCT unnest(r.permissions) AS p FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ${u!.id}`);
      return { userId: Number(u!.id), username, unitPath: u!.path, areaPath: u!.path, permissions: new Set(perms.map((r) => r.p)), requestId: null, ip: null };
    };
    const month = todayAt().slice(0, 7);
    const [total] = await campaignFigures(deps, await actorOf('gz_head'), { from: month, to: month, dimensions: [] });
    expect(total).toMatchObject({ contacted: 5, responded: 4, accepted: 2, responseRate: 80, acceptanceRate: 40 });
    const byManager = await campaignFigures(deps, await actorOf('gz_head'), { from: month, to: month, dimensions: ['manager', 'city'] });
    expect(byManager.reduce((a, r) => a + r.members, 0)).toBe(total!.members);
    expect(byManager.every((r) => r.keys.city !== null)).toBe(true);
    expect(await campaignFigures(deps, await actorOf('sz_head'), { from: month, to: month, dimensions: [] })).toEqual([expect.objectContaining({ members: 0 })]);
  });
});
