import { readFileSync } from 'node:fs';
import type { Database, DbKind } from '../../../db/client.js';
import { VERSION } from '../../../platform/version.js';
import { appliedMigrationRows, installationRow } from './queries.js';

export { installationRow };

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The migrations this build carries (drizzle's journal, copied into dist by the build). */
export function buildJournal(): JournalEntry[] {
  const file = new URL('../../../db/migrations/meta/_journal.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { entries: JournalEntry[] }).entries;
}

export interface BuildInfo {
  commit: string | null;
  builtAt: string | null;
}

/** Written by scripts/build-info.mjs at build time; from sources (tsx), the KAM_COMMIT variable; null when neither says. */
export function buildInfo(): BuildInfo {
  try {
    const info = JSON.parse(readFileSync(new URL('../../../../dist/build-info.json', import.meta.url), 'utf8')) as Partial<BuildInfo>;
    return { commit: info.commit ?? null, builtAt: info.builtAt ?? null };
  } catch {
    return { commit: process.env.KAM_COMMIT || null, builtAt: null };
  }
}

export interface SchemaState {
  /** Migrations of this build applied to the database, oldest first. */
  applied: { tag: string; createdAt: Date }[];
  /** Migrations of this build not applied yet (applied at the next start). */
  pending: string[];
  /** Migrations in the database that this build does not know, by their time (a newer build's). */
  unknown: Date[];
  current: boolean;
}

/**
 * The database's migrations against this build's journal. drizzle applies what is newer than the newest row it
 * recorded, keyed by the journal's `when`; a row newer than this build's last migration is a newer build's.
 */
export async function schemaState(database: Database): Promise<SchemaState> {
  const journal = buildJournal();
  const rows = await appliedMigrationRows(database);
  const byWhen = new Map(journal.map((j) => [j.when, j.tag]));
  const last = journal.at(-1)?.when ?? 0;
  const newest = rows.at(-1)?.createdAt ?? 0;
  const applied = rows.flatMap((r) => (byWhen.has(r.createdAt) ? [{ tag: byWhen.get(r.createdAt)!, createdAt: new Date(r.createdAt) }] : []));
  const unknown = rows.filter((r) => r.createdAt > last).map((r) => new Date(r.createdAt));
  const pending = journal.filter((j) => j.when > newest).map((j) => j.tag);
  return { applied, pending, unknown, current: !pending.length && !unknown.length };
}

/** An older build started on a database a newer build migrated: it must not run on a schema it does not know. */
export class SchemaTooNewError extends Error {
  constructor(unknown: Date[]) {
    const last = buildJournal().at(-1)?.tag ?? 'none';
    super(
      `The database schema is newer than this build (version ${VERSION}, last migration ${last}): it has ${unknown.length} migration(s) ` +
        `this build does not know, the newest from ${unknown.at(-1)?.toISOString()}. Start the newer version of the server, ` +
        'or restore a backup made by this version into an empty database (docs/operations.md, "Upgrades").',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Throws SchemaTooNewError before anything migrates or writes when the database is ahead of this build. */
export async function refuseNewerSchema(database: Database): Promise<void> {
  const { unknown } = await schemaState(database);
  if (unknown.length) throw new SchemaTooNewError(unknown);
}

export interface VersionReport extends BuildInfo {
  version: string;
  database: DbKind;
  migrations: { tag: string; createdAt: string }[];
  pending: string[];
  schemaCurrent: boolean;
}

export async function versionReport(database: Database): Promise<VersionReport> {
  const state = await schemaState(database);
  return {
    version: VERSION,
    ...buildInfo(),
    database: database.kind,
    migrations: state.applied.map((m) => ({ tag: m.tag, createdAt: m.createdAt.toISOString() })),
    pending: state.pending,
    schemaCurrent: state.current,
  };
}
