/**
 * PGlite through its own dump: dumpDataDir() gives the data folder as a gzipped tar, which a new PGlite loads
 * (loadDataDir). The rows are counted in a copy loaded from the dump itself, so that the manifest states what
 * the archive holds, whatever the server wrote meanwhile, and a dump that does not load is never sealed.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '../../../db/client.js';
import { rowCounts } from './queries.js';

export const PGLITE_FILE = 'pglite-data.tar.gz';

async function openLoaded(dump: Blob, dataDir?: string): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
  return PGlite.create({ ...(dataDir && { dataDir }), loadDataDir: dump, extensions: { pg_trgm } });
}

async function countIn(client: PGlite): Promise<Record<string, number>> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const db = drizzle(client);
  return rowCounts(async <T>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows);
}

/** Dumps the open embedded database into `folder`; the rows counted in the dump. */
export async function dumpPglite(database: Database, folder: string): Promise<Record<string, number>> {
  // drizzle's documented handle on the driver it wraps
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('gzip');
  await writeFile(path.join(folder, PGLITE_FILE), Buffer.from(await dump.arrayBuffer()));
  const copy = await openLoaded(dump);
  try {
    return await countIn(copy);
  } finally {
    await copy.close();
  }
}

/** A PGlite target is a folder that does not exist yet or is empty. */
export const pgliteTargetEmpty = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).length === 0;

export async function restorePglite(folder: string, targetDir: string): Promise<void> {
  const dump = new Blob([await readFile(path.join(folder, PGLITE_FILE))]);
  const client = await openLoaded(dump, path.resolve(targetDir));
  await client.close();
}
