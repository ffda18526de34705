import { sql, type SQL } from 'drizzle-orm';

/** A background export as its owner sees it (timestamps as the drivers give them: text or Date). */
export interface ExportJobRow {
  id: number;
  kind: string;
  format: 'csv' | 'xlsx';
  fileName: string;
  status: 'running' | 'done' | 'failed';
  rowsTotal: number | null;
  rowsDone: number;
  bytes: number;
  error: string | null;
  createdAt: string | Date;
  finishedAt: string | Date | null;
  expiresAt: string | Date | null;
}

/** A running export that has not beaten for this long died with its server. */
export const STALE_SECONDS = 120;

const JOB_COLUMNS = sql`
  id, kind, format, file_name AS "fileName",
  CASE WHEN status = 'running' AND heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS}) THEN 'failed' ELSE status END AS status,
  rows_total AS "rowsTotal", rows_done AS "rowsDone", bytes, error, created_at AS "createdAt", finished_at AS "finishedAt", expires_at AS "expiresAt"`;

export const insertJob = (userId: number, kind: string, format: string, fileName: string, params: unknown): SQL => sql`
  INSERT INTO export_jobs (user_id, kind, format, file_name, params, status)
  VALUES (${userId}, ${kind}, ${format}, ${fileName}, ${JSON.stringify(params)}::jsonb, 'running')
  RETURNING ${JOB_COLUMNS}`;

export const selectJobs = (userId: number, kind: string): SQL => sql`
  SELECT ${JOB_COLUMNS} FROM export_jobs WHERE user_id = ${userId} AND kind = ${kind} ORDER BY created_at DESC, id DESC LIMIT 20`;

export const selectJob = (userId: number, id: number): SQL => sql`SELECT ${JOB_COLUMNS} FROM export_jobs WHERE id = ${id} AND user_id = ${userId}`;

/** The user's exports still running (not stale). */
export const countRunning = (userId: number): SQL => sql`
  SELECT count(*)::int AS running FROM export_jobs
  WHERE user_id = ${userId} AND status = 'running' AND heartbeat_at >= now() - make_interval(secs => ${STALE_SECONDS})`;

export const beat = (id: number, rowsDone: number, rowsTotal: number | null, bytes: number): SQL => sql`
  UPDATE export_jobs SET rows_done = ${rowsDone}, rows_total = coalesce(${rowsTotal}::int, rows_total), bytes = ${bytes}, heartbeat_at = now()
  WHERE id = ${id}`;

export const finish = (id: number, rowsDone: number, bytes: number, keepHours: number): SQL => sql`
  UPDATE export_jobs SET status = 'done', rows_done = ${rowsDone}, bytes = ${bytes}, finished_at = now(),
    heartbeat_at = now(), expires_at = now() + make_interval(hours => ${keepHours})
  WHERE id = ${id}`;

export const fail = (id: number, error: string): SQL => sql`
  UPDATE export_jobs SET status = 'failed', error = ${error}, finished_at = now() WHERE id = ${id}`;

export const insertChunk = (id: number, seq: number, data: Buffer): SQL => sql`
  INSERT INTO export_job_chunks (job_id, seq, data) VALUES (${id}, ${seq}, ${data})`;

export const selectChunk = (id: number, seq: number): SQL => sql`SELECT data FROM export_job_chunks WHERE job_id = ${id} AND seq = ${seq}`;

/** Files past their time, failed exports and exports that died with their server go (their chunks with them). */
export const deleteExpired = (): SQL => sql`
  DELETE FROM export_jobs
  WHERE expires_at < now()
     OR (status = 'failed' AND finished_at < now() - interval '1 day')
     OR (status = 'running' AND heartbeat_at < now() - interval '1 day')`;
