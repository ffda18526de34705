/**
 * An upgrade as an operator runs it: a database made by the previous release (its migrations up to
 * 0031_managers) with data in it, started by this build, which migrates it and serves the same data.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { prepareDatabase } from '../../../bootstrap.js';
import { loadConfig, type Config } from '../../../config.js';
import { openDatabase, type Database } from '../../../db/client.js';
import { DEMO_PASSWORD, testDbKind } from '../../../db/testing.js';
import { hashPassword } from '../../../platform/auth/password.js';
import { buildJournal, schemaState } from './service.js';

/** The last migration of the previous release (0.1.0). */
const PREVIOUS_RELEASE_LAST = '0031_managers';
const migrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../db/migrations');

let work: string;
let config: Config;
let dropDatabase = async () => {};

/** The migrations folder as the previous release shipped it: its journal ends at PREVIOUS_RELEASE_LAST. */
async function previousReleaseMigrations(): Promise<string> {
  const folder = path.join(work, 'migrations-0.1.0');
  const journal = JSON.parse(await readFile(path.join(migrations, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((e) => e.tag === PREVIOUS_RELEASE_LAST);
  journal.entries = journal.entries.slice(0, last + 1);
  await mkdir(path.join(folder, 'meta'), { recursive: true });
  await writeFile(path.join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) await cp(path.join(migrations, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  return folder;
}

async function migrateAsPreviousRelease(database: Database) {
  const folder = await previousReleaseMigrations();
  const { migrate } = database.kind === 'postgres' ? await import('drizzle-orm/node-postgres/migrator') : await import('drizzle-orm/pglite/migrator');
  await migrate(database.db as never, { migrationsFolder: folder });
}

/** What the previous release held: a province, an administrator, a key account and one of its service requests. */
async function previousReleaseData(database: Database) {
  const one = async <T>(q: ReturnType<typeof sql>) => (await database.rows<T>(q))[0]!;
  const unit = await one<{ id: number }>(sql`INSERT INTO org_units (code, name, kind, path) VALUES ('GD', '广东省公司', 'province', '/') RETURNING id`);
  await database.rows(sql`UPDATE org_units SET path = ${`/${unit.id}/`} WHERE id = ${unit.id}`);
  const role = await one<{ id: number }>(sql`INSERT INTO roles (code, name, builtin) VALUES ('sysadmin', '系统管理员', true) RETURNING id`);
  const user = await one<{ id: number }>(sql`
    INSERT INTO users (username, display_name, unit_id, password_hash) VALUES ('upgrade_admin', '升级管理员', ${unit.id}, ${await hashPassword(DEMO_PASSWORD)}) RETURNING id`);
  await database.rows(sql`INSERT INTO user_roles (user_id, role_id) VALUES (${user.id}, ${role.id})`);
  const customer = await one<{ id: number }>(sql`
    INSERT INTO customers (customer_no, kind, name, unit_id, industry, joined_on) VALUES ('GD-UPG-0001', 'group', '广州升级测试有限公司', ${unit.id}, 'manufacturing', '2024-03-01') RETURNING id`);
  const request = await one<{ id: number }>(sql`
    INSERT INTO service_requests (request_no, customer_id, type, channel, title, home_unit_id, raised_unit_id, handling_unit_id)
    VALUES ('SR-UPG-0001', ${customer.id}, 'fault', 'hotline', '专线中断', ${unit.id}, ${unit.id}, ${unit.id}) RETURNING id`);
  return { customerId: customer.id, requestId: request.id };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'kam-upgrade-test-'));
  let target: Partial<Config> = { DATA_DIR: path.join(work, 'data') };
  if (testDbKind === 'postgres') {
    const name = `kam_upgrade_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    target = { DATABASE_URL: url.toString(), DATA_DIR: '' };
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  config = loadConfig({}, { LOG_LEVEL: 'silent', DEMO_PROFILE: 'none', ...target });
}, 60_000);

afterAll(async () => {
  await dropDatabase();
  await rm(work, { recursive: true, force: true });
});

it(`upgrades a database of the previous release with data in it and serves the data (${testDbKind})`, async () => {
  const old = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  await migrateAsPreviousRelease(old);
  const state = await schemaState(old);
  expect(state.applied.at(-1)?.tag).toBe(PREVIOUS_RELEASE_LAST);
  expect(state.pending.length).toBeGreaterThan(0);
  const { customerId, requestId } = await previousReleaseData(old);
  await old.close();

  // what `serve` does on start
  const { database } = await prepareDatabase(config);
  const app = await buildApp(config, database);
  try {
    expect(await schemaState(database)).toMatchObject({ pending: [], unknown: [], current: true });
    const [installation] = await database.rows<{ id: string }>(sql`SELECT id FROM system_installation`);
    expect(installation?.id).toMatch(/^[0-9a-f-]{36}$/);

    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'upgrade_admin', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

    const customer = await get(`/api/customers/${customerId}`);
    expect(customer.statusCode).toBe(200);
    expect(customer.json()).toMatchObject({ customerNo: 'GD-UPG-0001', name: '广州升级测试有限公司' });
    const request = await get(`/api/services/requests/${requestId}`);
    expect(request.statusCode).toBe(200);
    expect(request.json()).toMatchObject({ requestNo: 'SR-UPG-0001', title: '专线中断' });
    const version = (await get('/api/system/version')).json() as { migrations: { tag: string }[]; schemaCurrent: boolean };
    expect(version.schemaCurrent).toBe(true);
    expect(version.migrations.map((m) => m.tag)).toEqual(buildJournal().map((j) => j.tag));
  } finally {
    await app.close();
    await database.close();
  }
}, 180_000);
