import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../../bootstrap.js';
import { loadConfig } from '../../../config.js';
import { openDatabase } from '../../../db/client.js';
import { startTestSystem, testDbKind, type TestSystem } from '../../../db/testing.js';
import { VERSION } from '../../../platform/version.js';
import { buildJournal, SchemaTooNewError } from './service.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
}, 120_000);
afterAll(() => system?.close());

describe('GET /api/system/version', () => {
  it('tells everyone signed in the version, commit, build and the migrations applied', async () => {
    const agent = await system.login('gz_agent');
    const res = await agent.request({ method: 'GET', url: '/api/system/version' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { version: string; commit: string | null; database: string; migrations: { tag: string }[]; pending: string[]; schemaCurrent: boolean };
    expect(body).toMatchObject({ version: VERSION, database: testDbKind, pending: [], schemaCurrent: true });
    // the built commit, or null from sources without KAM_COMMIT (never a word the page would show as it is)
    expect(body.commit === null || /^[0-9a-f]{7,40}$/.test(body.commit)).toBe(true);
    expect(body.migrations.map((m) => m.tag)).toEqual(buildJournal().map((j) => j.tag));
  });

  it('asks for a session', async () => {
    expect((await system.app.inject({ method: 'GET', url: '/api/system/version' })).statusCode).toBe(401);
  });
});

describe('an older build on a newer schema', () => {
  let dataDir: string;
  let url: string | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kam-newer-schema-'));
    url = system.config.DATABASE_URL;
    // on PGlite a database of its own in a folder (the test system's is in memory)
    const database = url ? system.database : await openDatabase({ dataDir });
    if (!url) await database.migrate();
    // a migration a newer build applied: later than this build's last
    const when = buildJournal().at(-1)!.when + 86_400_000;
    await database.rows(sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('a-newer-build', ${when})`);
    if (!url) await database.close();
  }, 60_000);
  afterAll(async () => {
    if (url) await system.database.rows(sql`DELETE FROM drizzle.__drizzle_migrations WHERE hash = 'a-newer-build'`);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to start, before migrating or writing anything', async () => {
    const config = loadConfig({}, { LOG_LEVEL: 'silent', DEMO_PROFILE: 'none', DATABASE_URL: url, DATA_DIR: dataDir });
    await expect(prepareDatabase(config)).rejects.toThrow(SchemaTooNewError);
  });

  it('says so on the command line and exits non-zero', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], {
      cwd: serverDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(url ? { DATABASE_URL: url } : {}), DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/database schema is newer than this build .*Start the newer version/s);
  }, 60_000);
});
