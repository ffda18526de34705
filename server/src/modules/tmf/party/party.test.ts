import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type Session, type TestSystem } from '../../../db/testing.js';
import { eventRendererOf } from '../../../platform/outbox/renderers.js';
import { schemaErrors } from '../schemas/validate.testing.js';

const API = '/tmf-api/partyManagement/v4';
let sys: TestSystem;
let admin: Session;
let group: number;
let person: number;

const idOf = async (kind: string) => Number((await sys.database.rows<{ id: number }>(sql`SELECT id FROM customers WHERE kind = ${kind} ORDER BY id LIMIT 1`))[0]!.id);

beforeAll(async () => {
  sys = await startTestSystem();
  admin = await sys.login('admin');
  group = await idOf('group');
  person = await idOf('individual');
  await sys.database.db.execute(sql`UPDATE customers SET contact_phone = '13812345678' WHERE id IN (${group}, ${person})`);
}, 120_000);
afterAll(() => sys?.close());

describe('TMF632 Party', () => {
  it('lists the group key accounts as Organizations and the persons as Individuals, valid against the v4 schemas', async () => {
    const orgs = await admin.request({ method: 'GET', url: `${API}/organization?limit=10` });
    expect(orgs.statusCode, orgs.body).toBe(206);
    expect(schemaErrors('Organization', orgs.json(), true)).toEqual([]);
    const people = await admin.request({ method: 'GET', url: `${API}/individual?limit=10` });
    expect(schemaErrors('Individual', people.json(), true)).toEqual([]);
    expect(Number(orgs.headers['x-total-count']) + Number(people.headers['x-total-count'])).toBe(
      Number((await sys.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers`))[0]!.n),
    );
  });

  it('shows one Organization and one Individual, contact media and ID numbers masked; the other kind’s id is a 404', async () => {
    const org = await admin.request({ method: 'GET', url: `${API}/organization/${group}` });
    expect(org.statusCode, org.body).toBe(200);
    expect(schemaErrors('Organization', org.json())).toEqual([]);
    expect(org.json()).toMatchObject({ id: String(group), '@type': 'Organization', href: `${API}/organization/${group}` });
    expect(org.json().contactMedium[0].characteristic.phoneNumber).toBe('138****5678');
    const ind = await admin.request({ method: 'GET', url: `${API}/individual/${person}` });
    expect(schemaErrors('Individual', ind.json())).toEqual([]);
    for (const id of ind.json().individualIdentification ?? []) expect(id.identificationId).toMatch(/^\*{14}/);
    expect(ind.json().birthDate).toBeUndefined();
    const wrongKind = await admin.request({ method: 'GET', url: `${API}/individual/${group}` });
    expect([wrongKind.statusCode, wrongKind.json()['@type']]).toEqual([404, 'Error']);
  });

  it('a 广州 manager does not see a 深圳 party (404 as for a missing one)', async () => {
    const [sz] = await sys.database.rows<{ id: number; kind: string }>(sql`SELECT c.id, c.kind FROM customers c JOIN users m ON m.id = c.manager_id WHERE m.username = 'sz_am01' ORDER BY c.id LIMIT 1`);
    const gz = await sys.login('gz_am01');
    const resource = sz!.kind === 'group' ? 'organization' : 'individual';
    const other = await gz.request({ method: 'GET', url: `${API}/${resource}/${sz!.id}` });
    const missing = await gz.request({ method: 'GET', url: `${API}/${resource}/987654321` });
    expect([other.statusCode, other.json()]).toEqual([404, missing.json()]);
  });

  it('renders the parties of events by id, each type its own kind, personal data masked', async () => {
    const deps = { database: sys.database, pii: null } as never;
    const orgs = await eventRendererOf('Organization')!(deps, [String(group), String(person), '987654321']);
    expect([...orgs.keys()]).toEqual([String(group)]);
    expect(schemaErrors('Organization', orgs.get(String(group)))).toEqual([]);
    const people = await eventRendererOf('Individual')!(deps, [String(group), String(person)]);
    expect([...people.keys()]).toEqual([String(person)]);
    expect(schemaErrors('Individual', people.get(String(person)))).toEqual([]);
    expect(JSON.stringify(people.get(String(person)))).not.toContain('13812345678');
  });
});
