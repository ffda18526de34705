import { z } from 'zod';

/** manifest.json of an archive (archive.ts). */
export const manifestSchema = z.object({
  format: z.string(),
  system: z.string(),
  systemName: z.string(),
  installationId: z.string().nullable(),
  database: z.enum(['pglite', 'postgres']),
  /** How the dump was made: `pg_dump directory` (pg_restore reads it) or `pglite dumpDataDir` (a gzipped tar of the data folder). */
  dump: z.enum(['pg_dump-directory', 'pglite-datadir']),
  appVersion: z.string(),
  migrations: z.array(z.object({ tag: z.string(), createdAt: z.string() })),
  /** Rows per table (`schema.table`) in the snapshot the dump was taken from. */
  rowCounts: z.record(z.string(), z.number().int().min(0)),
  files: z.array(z.object({ path: z.string().min(1), bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
  createdAt: z.string(),
  durationMs: z.number().int().min(0),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const backupSchema = z.object({
  name: z.string(),
  bytes: z.number().int(),
  createdAt: z.string().nullable(),
  database: z.enum(['pglite', 'postgres']).nullable(),
  appVersion: z.string().nullable(),
  /** Rows in all tables at the backup. */
  rows: z.number().int().nullable(),
  /** intact: every file matches the manifest; damaged: a file is missing, truncated or changed; foreign: another system's or unreadable manifest. */
  status: z.enum(['intact', 'damaged', 'foreign']),
  checksumOk: z.boolean(),
  /** Made by this installation (another installation's archive restores too, into an empty database). */
  thisInstallation: z.boolean(),
  problem: z.string().nullable(),
}).meta({ id: 'Backup' });

export const backupListSchema = z.object({
  directory: z.string(),
  schedule: z.string(),
  keep: z.number().int(),
  items: z.array(backupSchema),
}).meta({ id: 'BackupList' });

export const startedSchema = z.object({
  runId: z.number().int(),
  job: z.string(),
  status: z.string(),
  startedAt: z.string(),
}).meta({ id: 'BackupStarted' });
