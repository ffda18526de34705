/**
 * 个人信息保护 in the audit trail: every write route that takes personal data in its body is sent clear
 * values (ID numbers, phones, addresses, e-mail addresses, names and birthdays of individuals), and not one
 * of them may be found anywhere in the text of any row of audit_log. The routes are found from the route
 * catalogue and the OpenAPI document (a JSON body with a field of the personal-data catalogue), so a new
 * route with personal data fails here until it is walked too.
 */
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../db/testing.js';
import { PERSONAL_FIELDS } from '../../platform/personal-data.js';
import { routeKey } from '../../platform/http/route-samples.testing.js';
import { testPartner } from '../services/partners/partners.testing.js';

const CLEAR = {
  id1: '440106198001011234',
  id2: '44010619750203567X',
  id3: '440106196512128888',
  idImport: '440106200002029999',
  phones: Array.from({ length: 10 }, (_, i) => `1391234${String(i + 1).padStart(4, '0')}`),
  address1: '广州市天河区体育西路191号中石化大厦B塔4101',
  address2: '深圳市南山区科技园南区高新南一道9号',
  address3: '佛山市禅城区季华五路万科广场2301',
  addressImport: '珠海市香洲区情侣中路47号海天大厦',
  email1: 'li.lei.private@example.com',
  email2: 'han.meimei.home@example.org',
  email3: 'admin.personal@example.net',
  customerName: '上官婉儿',
  legal: '欧阳振华',
  keyPerson: '司马相如',
  birthday1: '1979-03-17',
  birthday2: '1968-11-23',
};
const P = CLEAR.phones;
const clearValues = (): string[] => Object.values(CLEAR).flat();

type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>; components?: { schemas?: Record<string, unknown> } };

/** The property names anywhere in a JSON schema (following $refs into the components). */
function propertyNames(schema: unknown, doc: OpenApi, seen = new Set<unknown>()): string[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const s = schema as Record<string, unknown>;
  const ref = typeof s.$ref === 'string' ? doc.components?.schemas?.[s.$ref.split('/').pop()!] : undefined;
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const nested = [ref, s.items, s.additionalProperties, ...Object.values(props), ...[s.anyOf, s.oneOf, s.allOf].flatMap((x) => (Array.isArray(x) ? x : []))];
  return [...Object.keys(props), ...nested.flatMap((n) => propertyNames(n, doc, seen))];
}

/** Write routes whose JSON body has a field of the personal-data catalogue (a field personal for some entities only, like `name`, does not count alone). */
function personalDataRoutes(sys: TestSystem): string[] {
  const doc = sys.app.swagger() as unknown as OpenApi;
  const personal = new Set(Object.entries(PERSONAL_FIELDS).filter(([, f]) => !f.entities).map(([k]) => k));
  return sys.app.accessCatalogue
    .filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method))
    .filter((r) => {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      return propertyNames(schema, doc).some((n) => personal.has(n));
    })
    .map(routeKey);
}

let sys: TestSystem;
let admin: Session;
let gzId: number;
let customer: { id: number; version: number };
let walker: { id: number; version: number };

const ok = (res: LightMyRequestResponse) => {
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res;
};

/** One request per route with personal data, in an order where each finds what it needs. */
const WALK: [string, () => Promise<LightMyRequestResponse>][] = [
  [
    'POST /api/customers',
    async () => {
      const res = ok(
        await admin.request({
          method: 'POST',
          url: '/api/customers',
          payload: {
            customerNo: 'PII-0001',
            kind: 'individual',
            unitId: gzId,
            name: CLEAR.customerName,
            contactPhone: P[0],
            address: CLEAR.address1,
            idType: 'resident_id',
            idNumber: CLEAR.id1,
            birthday: CLEAR.birthday1,
            legalRepresentative: CLEAR.legal,
          },
        }),
      );
      const view = res.json().customer as { id: number; version: number };
      customer = { id: view.id, version: view.version };
      return res;
    },
  ],
  [
    'PATCH /api/customers/:id',
    async () => {
      const res = ok(
        await admin.request({
          method: 'PATCH',
          url: `/api/customers/${customer.id}`,
          payload: { version: customer.version, contactPhone: P[1], address: CLEAR.address2, idNumber: CLEAR.id2, legalRepresentative: `${CLEAR.legal}二` },
        }),
      );
      customer.version = res.json().version;
      return res;
    },
  ],
  [
    // before the customers area's own visit below, whose audit entry is read last
    'POST /api/work-logs',
    async () => {
      const am = await sys.login('gz_am01');
      const [mine] = (await am.request({ method: 'GET', url: '/api/customers?limit=1&archive=in_network' })).json() as { id: number }[];
      return ok(
        await am.request({
          method: 'POST',
          url: '/api/work-logs',
          payload: { customerId: mine!.id, kind: 'visit', outcome: `客户留下新手机 ${P[9]}，邮箱 ${CLEAR.email2}`, nextStep: `面谈后发邮件到 ${CLEAR.email1}` },
        }),
      );
    },
  ],
  [
    'POST /api/customers/:id/visits',
    async () => {
      const res = ok(
        await admin.request({
          method: 'POST',
          url: `/api/customers/${customer.id}/visits`,
          payload: {
            visitedOn: '2026-11-20',
            channel: 'visit',
            summary: `客户留下新手机 ${P[2]}，邮箱 ${CLEAR.email3}`,
            version: customer.version,
            updates: { contactPhone: P[3], idNumber: CLEAR.id3, address: CLEAR.address3 },
          },
        }),
      );
      customer.version = res.json().version;
      return res;
    },
  ],
  [
    'POST /api/customers/:id/key-persons',
    () =>
      admin
        .request({ method: 'POST', url: `/api/customers/${customer.id}/key-persons`, payload: { name: CLEAR.keyPerson, role: 'decision_maker', phone: P[4], birthday: CLEAR.birthday2 } })
        .then(ok),
  ],
  [
    'POST /api/services/requests',
    () =>
      admin
        .request({
          method: 'POST',
          url: '/api/services/requests',
          payload: { phone: P[3], type: 'fault', channel: 'hotline', title: '宽带中断', description: `客户另留电话 ${P[8]}，地址 ${CLEAR.address3}` },
        })
        .then(ok),
  ],
  [
    'POST /api/users',
    async () => {
      const res = ok(
        await admin.request({
          method: 'POST',
          url: '/api/users',
          payload: { username: 'pii_walker', displayName: '走查', unitId: gzId, roleIds: [], password: 'Harbour#Lantern42', phone: P[5], email: CLEAR.email1 },
        }),
      );
      walker = res.json() as { id: number; version: number };
      return res;
    },
  ],
  ['PATCH /api/users/:id', () => admin.request({ method: 'PATCH', url: `/api/users/${walker.id}`, payload: { version: walker.version, phone: P[6], email: CLEAR.email2 } }).then(ok)],
  [
    'POST /api/partner/v1/verifications',
    async () => {
      // a partner verifies the customer above by its contact phone: the code goes to it, the trail keeps it masked
      const { authorization } = await testPartner(admin, 'PII-WALK');
      return ok(await sys.app.inject({ method: 'POST', url: '/api/partner/v1/verifications', headers: { authorization }, payload: { phone: P[3] } }));
    },
  ],
  [
    'PATCH /api/me',
    async () => {
      const me = (await admin.request({ method: 'GET', url: '/api/me' })).json() as { version: number };
      return ok(await admin.request({ method: 'PATCH', url: '/api/me', payload: { version: me.version, phone: P[7], email: CLEAR.email3 } }));
    },
  ],
];

function multipart(fields: Record<string, string>, file: { name: string; data: string }) {
  const boundary = '----kamPersonalDataWalk';
  const parts = [
    ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.data}\r\n--${boundary}--\r\n`,
  ];
  return { payload: Buffer.from(parts.join('')), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  gzId = ((await admin.request({ method: 'GET', url: '/api/org/units?q=GD-GZ' })).json() as { id: number; code: string }[]).find((u) => u.code === 'GD-GZ')!.id;
}, 120_000);
afterAll(() => sys.close());

describe('no personal data in the audit trail (个人信息保护)', () => {
  it('walks every write route that takes personal data in its body', async () => {
    expect(personalDataRoutes(sys).sort()).toEqual(WALK.map(([k]) => k).sort());
    for (const [, send] of WALK) await send();
  });

  it('walks the upload of a customers extract, its file name included', async () => {
    const csv = [
      'customer_no,kind,name,unit_code,manager,industry,brand,contact_phone,address,joined_on,credit_code,employees,gender,birthday,id_type,id_number',
      `PII-0002,individual,${CLEAR.legal}三,GD-GZ,,,,${P[8]},${CLEAR.addressImport},,,,female,${CLEAR.birthday1},resident_id,${CLEAR.idImport}`,
    ].join('\n');
    const res = await admin.request({ method: 'POST', url: '/api/imports', ...multipart({ kind: 'customers' }, { name: `客户资料_${P[9]}.csv`, data: csv }) });
    expect(res.statusCode, res.body).toBe(202);
    // the job runs on the server's queue: poll it, letting the event loop run the job's file reads between polls
    let job = res.json() as { id: number; status: string; inserted: number };
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise(setImmediate);
      job = (await admin.request({ method: 'GET', url: `/api/imports/${job.id}` })).json();
    }
    expect(job).toMatchObject({ status: 'succeeded', inserted: 1 });
  });

  it('finds none of the clear values in any row of audit_log', async () => {
    const found: string[] = [];
    for (const value of clearValues()) {
      const rows = await sys.database.rows<{ id: number; row: string }>(sql`SELECT a.id, a::text AS row FROM audit_log a WHERE strpos(lower(a::text), lower(${value})) > 0`);
      found.push(...rows.map((r) => `${value} in entry ${r.id}: ${r.row.slice(0, 300)}`));
    }
    expect(found).toEqual([]);
    // and the entries are there, masked
    const visit = await sys.database.rows<{ after: Record<string, unknown> }>(sql`SELECT after FROM audit_log WHERE entity = 'visit' ORDER BY id DESC LIMIT 1`);
    expect(visit[0]!.after).toMatchObject({ summary: `客户留下新手机 139****0003，邮箱 a***@example.net`, updatedFields: expect.arrayContaining(['contactPhone', 'idNumber', 'address']) });
    const change = await sys.database.rows<{ diff: Record<string, unknown> }>(
      sql`SELECT diff FROM audit_log WHERE entity = 'customer' AND entity_id = ${String(customer.id)} AND action = 'update' ORDER BY id DESC LIMIT 1`,
    );
    expect(change[0]!.diff).toMatchObject({ contactPhone: ['139****0002', '139****0004'], idNumber: ['**************567X', '**************8888'] });
  });
});
